import { sampleEvent } from '../events/eventSchema';
import { entityFields, sampleObject } from '../fieldSchemas';
import { externalEventsOf, requireModule } from '../naming';
import { inputNames, toSkillResult } from '../outcome';
import { checkSyntax } from '../service/checks';
import { toServiceModel, type ServiceModel } from '../service/model';
import { renderTree, templateRoot, type RenderedFile } from '../service/render';
import type { Blueprint, BlueprintModule } from '../../blueprints/schemas';
import type { Skill, SkillArtifact, SkillCheck, SkillInput, SkillResult } from '../types';

const SKILL = 'GenerateTests';
const TYPESCRIPT = 'text/x-typescript; charset=utf-8';

/** Valid sample inputs per entity and a valid sample of every consumed event (from its emitter's schema rule). */
function samples(blueprint: Blueprint, module: BlueprintModule) {
  const external = new Set(externalEventsOf(blueprint, module));
  const eventSamples = Object.fromEntries(
    [...new Set(module.events.consumes)].sort().map((event) => {
      const emitter = blueprint.spec.modules.find((candidate) => candidate.events.emits.includes(event));
      return [event, emitter && !external.has(event) ? sampleEvent(emitter, event, false) : sampleEvent(module, event, true)];
    }),
  );
  const entitySamples = Object.fromEntries(module.entities.map((entity) => [entity.name, sampleObject(entityFields(entity).filter((field) => !field.implicit))]));
  return { samples: entitySamples, eventSamples };
}

/** The test files of a module's service (`templates/project/test/**` rendered), relative to its folder. */
export function testFiles(blueprint: Blueprint, module: BlueprintModule, model: ServiceModel = toServiceModel(blueprint, module)): RenderedFile[] {
  return renderTree(templateRoot(__dirname, 'project'), { ...model, ...samples(blueprint, module) });
}

/**
 * qa-engineer/GenerateTests: node:test suites for the module's generated service — every entity's
 * operations on every API version (ETags, 412 on a stale If-Match, paging, 400 with paths), exactly
 * the declared events per change with the caller's trace, consumed events (handled once, duplicates
 * skipped, schema violations dead-lettered), probes and configuration errors. Run with ValidateService.
 */
export function generateTests(input: SkillInput): SkillResult {
  const module = requireModule(SKILL, input);
  const model = toServiceModel(input.blueprint, module);
  const inputs = ['blueprint', ...inputNames(input.artifacts, module.name, ['service-code', 'openapi-contract'])];
  const artifacts: SkillArtifact[] = testFiles(input.blueprint, module, model).map((file) => ({
    name: `${model.folder}/${file.path}`,
    kind: 'tests',
    module: module.name,
    contentType: TYPESCRIPT,
    content: file.content,
    inputs,
  }));
  const checks: SkillCheck[] = [checkSyntax(artifacts)];
  return toSkillResult(SKILL, artifacts, checks);
}

export const generateTestsSkill: Skill = {
  name: SKILL,
  agentRole: 'qa-engineer',
  description: 'node:test suites for a generated service: operations, ETags, paging, declared events, consumed events, probes, config.',
  run: generateTests,
};
