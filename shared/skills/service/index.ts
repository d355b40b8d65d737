import { requireModule } from '../naming';
import { inputNames, toSkillResult } from '../outcome';
import type { Skill, SkillArtifact, SkillCheck, SkillInput, SkillResult } from '../types';
import { appTs } from './appFile';
import { checkContractRoutes, checkSyntax, servedRoutes } from './checks';
import { entityTs } from './entityFile';
import { toServiceModel, type ServiceModel } from './model';
import { packageJson, readme, tsconfigJson } from './projectFiles';
import { configTs } from './templates/config';
import { ENTITY_SERVICE_TS } from './templates/entityService';
import { EVENTS_TS } from './templates/events';
import { HTTP_TS } from './templates/http';
import { LIFECYCLE_TS } from './templates/lifecycle';
import { MAIN_TS } from './templates/main';
import { REPOSITORY_TS } from './templates/repository';
import { ROUTES_TS } from './templates/routes';
import { VALIDATION_TS } from './templates/validation';

export { mapEmittedEvents } from './eventRule';
export { SERVICE_COMPILER_OPTIONS } from './projectFiles';
export { toServiceModel, type EmittedEvent, type EntityAction, type ServiceModel } from './model';

const SKILL = 'GenerateService';
const TYPESCRIPT = 'text/x-typescript; charset=utf-8';

/** The files of a module's service, relative to its folder, with their media types. */
export function serviceFiles(model: ServiceModel): { path: string; contentType: string; content: string }[] {
  const ts = (path: string, content: string) => ({ path, contentType: TYPESCRIPT, content });
  return [
    { path: 'package.json', contentType: 'application/json', content: packageJson(model) },
    { path: 'tsconfig.json', contentType: 'application/json', content: tsconfigJson() },
    { path: 'README.md', contentType: 'text/markdown; charset=utf-8', content: readme(model) },
    ts('src/app.ts', appTs(model)),
    ts('src/config.ts', configTs(model.blueprint)),
    ts('src/entityService.ts', ENTITY_SERVICE_TS),
    ts('src/events.ts', EVENTS_TS),
    ts('src/http.ts', HTTP_TS),
    ts('src/lifecycle.ts', LIFECYCLE_TS),
    ts('src/main.ts', MAIN_TS),
    ts('src/repository.ts', REPOSITORY_TS),
    ts('src/routes.ts', ROUTES_TS),
    ts('src/validation.ts', VALIDATION_TS),
    ...model.entities.map((entity) => ts(`src/entities/${entity.kebab}.ts`, entityTs(entity))),
  ];
}

/**
 * backend-developer/GenerateService: a TypeScript service per module on Node built-ins — entities
 * with validation, an in-memory repository, the contract's CRUD routes, CloudEvents publishing,
 * probes, graceful shutdown and configuration from the environment.
 */
export function generateService(input: SkillInput): SkillResult {
  const module = requireModule(SKILL, input);
  const model = toServiceModel(input.blueprint, module);
  const inputs = ['blueprint', ...inputNames(input.artifacts, module.name, ['openapi-contract', 'event-schema'])];
  const artifacts: SkillArtifact[] = serviceFiles(model).map((file) => ({
    name: `${model.folder}/${file.path}`,
    kind: 'service-code',
    module: module.name,
    contentType: file.contentType,
    content: file.content,
    inputs,
  }));
  const checks: SkillCheck[] = [checkSyntax(artifacts), checkContractRoutes(input.artifacts, module.name, servedRoutes(model))];
  return toSkillResult(SKILL, artifacts, checks);
}

export const generateServiceSkill: Skill = {
  name: SKILL,
  agentRole: 'backend-developer',
  description: 'A TypeScript service per module on Node built-ins: entities, validation, CRUD routes, CloudEvents, probes.',
  run: generateService,
};
