import type { Blueprint, BlueprintModule } from '../blueprints/schemas';
import { SkillValidationError, type SkillInput } from './types';

export { collectionSegment, eventBaseName, eventSlug, kebabCase, openApiSchemaNames, OPENAPI_FIXED_SCHEMAS, pluralize } from '../blueprints/normalize';

/** The module a per-module skill works on; a missing or unknown name is a caller error. */
export function requireModule(skill: string, input: SkillInput): BlueprintModule {
  if (!input.module) throw new SkillValidationError(skill, ['input.module is required: name the blueprint module to work on']);
  const found = input.blueprint.spec.modules.find((module) => module.name === input.module);
  if (!found) throw new SkillValidationError(skill, [`module '${input.module}' is not in blueprint '${input.blueprint.metadata.name}'`]);
  return found;
}

/** Events consumed by the module that come from outside the blueprint (module- or spec-level `external`). */
export function externalEventsOf(blueprint: Blueprint, module: BlueprintModule): string[] {
  const external = new Set([...blueprint.spec.events.external, ...module.events.external]);
  const emitted = new Set(blueprint.spec.modules.flatMap((candidate) => candidate.events.emits));
  return sortedUnique(module.events.consumes.filter((event) => external.has(event) || !emitted.has(event)));
}

/** Sorted (by UTF-16 code unit) and without duplicates: the iteration order of every generator. */
export function sortedUnique(values: Iterable<string>): string[] {
  return [...new Set(values)].sort(compareText);
}

export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
