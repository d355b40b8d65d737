import type { Blueprint, BlueprintModule } from '../blueprints/schemas';
import { SkillValidationError, type SkillInput } from './types';

/** `BookingService` → `booking-service`, `InvoiceLine` → `invoice-line`. */
export function kebabCase(name: string): string {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1-$2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1-$2')
    .toLowerCase();
}

/** English plural of a PascalCase or kebab-case word's last part: `Category` → `Categories`. */
export function pluralize(word: string): string {
  if (/[^aeiou]y$/i.test(word)) return `${word.slice(0, -1)}ies`;
  if (/(s|x|z|ch|sh)$/i.test(word)) return `${word}es`;
  return `${word}s`;
}

/** The URL segment of an entity's collection: `InvoiceLine` → `invoice-lines`. */
export function collectionSegment(entity: string): string {
  return kebabCase(pluralize(entity));
}

/** `AppointmentBooked.v1` → `AppointmentBooked`. */
export function eventBaseName(event: string): string {
  return event.replace(/\.v[0-9]+$/, '');
}

/** `AppointmentBooked.v1` → `appointment-booked-v1`: a Service Bus topic or file-friendly name. */
export function eventSlug(event: string): string {
  return `${kebabCase(eventBaseName(event))}-${event.slice(eventBaseName(event).length + 1)}`;
}

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
