import { requireModule } from '../naming';
import { inputNames, toSkillResult } from '../outcome';
import type { Skill, SkillArtifact, SkillCheck, SkillInput, SkillResult } from '../types';
import { checkContractRoutes, checkSyntax, servedRoutes } from './checks';
import { toServiceModel, type ServiceModel } from './model';
import { renderTree, templateRoot, type RenderedFile } from './render';

export { toServiceModel, type EmittedEvent, type ServiceModel } from './model';

const SKILL = 'GenerateService';

const MEDIA_TYPES: [RegExp, string][] = [
  [/\.ts$/, 'text/x-typescript; charset=utf-8'],
  [/\.json$/, 'application/json'],
  [/\.md$/, 'text/markdown; charset=utf-8'],
];

/** The media type of a generated file by its name (plain text when nothing more specific fits). */
export function mediaTypeOf(path: string): string {
  return MEDIA_TYPES.find(([pattern]) => pattern.test(path))?.[1] ?? 'text/plain; charset=utf-8';
}

const FUNCTION_APP_FILES = /^(host\.json|local\.settings\.json|src\/functionApp\.ts|src\/functions\/)/;

/**
 * Whether a rendered file belongs to the module's kind: a `function` module is an Azure Functions
 * app (`host.json`, `src/functions/*`; a trigger file only when it has events to consume or an
 * outbox to relay) that keeps `src/main.ts` as its container entry (GeneratePipeline's image, the
 * Kubernetes Deployment); every other kind is only a service started by `src/main.ts`.
 */
function belongsTo(path: string, model: ServiceModel): boolean {
  if (model.kind !== 'function') return !FUNCTION_APP_FILES.test(path);
  if (path === 'src/functions/events.ts') return model.consumes.length > 0;
  if (path === 'src/functions/outbox.ts') return model.emits.length > 0;
  return true;
}

/** The files of a module's service, relative to its folder: the template tree `templates/project` rendered with the model. */
export function serviceFiles(model: ServiceModel): RenderedFile[] {
  return renderTree(templateRoot(__dirname, 'project'), model as unknown as Record<string, unknown>).filter((file) => belongsTo(file.path, model));
}

/**
 * backend-developer/GenerateService: a Node service per module on fastify (a `function` module: the
 * same core as an Azure Functions v4 app, one HTTP function per contract operation, a Service Bus
 * trigger per consumed event, a timer for the outbox relay) (bodies checked against
 * the contract's schemas), pino, a repository port (SQLite locally, Cosmos DB in Azure), CloudEvents
 * published and consumed through a broker port (the local host's broker, Service Bus in Azure) with
 * cockatiel retries and circuit breaker, probes, graceful shutdown (GeneratePipeline adds its Dockerfile).
 */
export function generateService(input: SkillInput): SkillResult {
  const module = requireModule(SKILL, input);
  const model = toServiceModel(input.blueprint, module);
  const inputs = ['blueprint', ...inputNames(input.artifacts, module.name, ['openapi-contract', 'event-schema'])];
  const artifacts: SkillArtifact[] = serviceFiles(model).map((file) => ({
    name: `${model.folder}/${file.path}`,
    kind: 'service-code',
    module: module.name,
    contentType: mediaTypeOf(file.path),
    content: file.content,
    inputs,
  }));
  const checks: SkillCheck[] = [checkSyntax(artifacts), checkContractRoutes(input.artifacts, module.name, servedRoutes(model))];
  return toSkillResult(SKILL, artifacts, checks);
}

export const generateServiceSkill: Skill = {
  name: SKILL,
  agentRole: 'backend-developer',
  description: 'A fastify service per module: contract-validated routes, SQLite/Cosmos repository, CloudEvents over the broker, probes.',
  run: generateService,
};
