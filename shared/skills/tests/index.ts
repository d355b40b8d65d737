import { requireModule } from '../naming';
import { inputNames, toSkillResult } from '../outcome';
import { checkSyntax } from '../service/checks';
import { toServiceModel, type ServiceModel } from '../service/model';
import type { Skill, SkillArtifact, SkillCheck, SkillInput, SkillResult } from '../types';
import { entityTestTs } from './entityTest';
import { MAIN_TEST_TS, serviceTestTs } from './serviceTest';
import { SUPPORT_TS } from './support';
import { sampleValue } from './values';

const SKILL = 'GenerateTests';
const TYPESCRIPT = 'text/x-typescript; charset=utf-8';

/** The test files of a module's service, relative to its folder. */
export function testFiles(model: ServiceModel): { path: string; content: string }[] {
  const validBodies = Object.fromEntries(
    model.entities.map((entity) => [entity.kebab, JSON.stringify(Object.fromEntries(entity.fields.map((field) => [field.name, sampleValue(field.type)])))]),
  );
  return [
    { path: 'test/support.ts', content: SUPPORT_TS },
    { path: 'test/service.test.ts', content: serviceTestTs(model, validBodies) },
    { path: 'test/main.test.ts', content: MAIN_TEST_TS },
    ...model.entities.map((entity) => ({ path: `test/${entity.kebab}.test.ts`, content: entityTestTs(model, entity) })),
  ];
}

/**
 * qa-engineer/GenerateTests: node:test suites for the module's generated service — every entity's
 * routes (create, read, paging, replace, delete), validation errors with paths, 404s, emitted
 * CloudEvents, probes, configuration and SIGTERM shutdown. Run them with ValidateService.
 */
export function generateTests(input: SkillInput): SkillResult {
  const module = requireModule(SKILL, input);
  const model = toServiceModel(input.blueprint, module);
  const inputs = ['blueprint', ...inputNames(input.artifacts, module.name, ['service-code', 'openapi-contract'])];
  const artifacts: SkillArtifact[] = testFiles(model).map((file) => ({
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
  description: 'node:test suites for a generated service: routes, validation errors, events, probes, shutdown.',
  run: generateTests,
};
