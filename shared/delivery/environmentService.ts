import { changeEvent, type ChangeContext } from '../platform/eventOutbox';
import { NotFound, Validation, type FieldError } from '../platform/http/errors';
import { findBlueprintVersion } from '../workflows/blueprintVersions';
import { requireProject } from '../projects/lookup';
import { configHashOf, type DesiredEnvironment, type ModuleDeployment } from '../runtime';
import type { z } from 'zod';
import { DELIVERY_CONTAINER, type DeliveryManifest, type DesiredStateDocument, type EnvironmentBindings, type EnvironmentDocument, type environmentBody } from './schemas';
import type { DeliveryServices } from './services';
import { toEnvironmentId } from './store';

type Key = { tenantId: string; projectId: string };

/** The environment's bindings, or its defaults: no configuration, self-heal everywhere but production. */
export async function environmentOf(services: DeliveryServices, key: Key, name: string): Promise<EnvironmentDocument> {
  const project = await requireProject(services.platform.store, key.tenantId, key.projectId);
  if (!project.environments.includes(name)) throw new NotFound(`Environment '${name}' is not an environment of project '${key.projectId}'.`);
  return (await services.store.environment(key, name)) ?? { id: toEnvironmentId(name), ...key, type: 'environment', name, config: {}, secrets: {}, selfHeal: name !== 'production', replicas: {}, updatedAt: project.createdAt, updatedBy: project.createdBy };
}

/** The factory process's variables `tenantId` may bind as secrets (`FACTORY_TENANT_SECRETS`; none by default). */
function sharedSecretVariables(services: DeliveryServices, tenantId: string): string[] {
  return services.platform.config.FACTORY_TENANT_SECRETS?.[tenantId] ?? [];
}

/**
 * What the body schema cannot know: replica counts only for modules of the project's latest valid
 * blueprint, and `fromEnv` secret bindings only of variables the operator shared with this tenant
 * (`FACTORY_TENANT_SECRETS`) — else one tenant could read another's secrets, or the factory's own.
 * Throws 400 with the path of every problem.
 */
async function checkBindings(services: DeliveryServices, key: Key, body: z.output<typeof environmentBody>): Promise<void> {
  const problems: FieldError[] = [];
  const replicaModules = Object.keys(body.replicas);
  if (replicaModules.length) {
    const modules = await findBlueprintVersion(services.platform.store, key.tenantId, key.projectId).then((version) => version.blueprint.spec.modules.map((module) => module.name), () => [] as string[]);
    for (const module of replicaModules) if (!modules.includes(module)) problems.push({ path: `body.replicas.${module}`, message: `not a module of the project's blueprint (${modules.join(', ') || 'no valid blueprint yet'})` });
  }
  const shared = sharedSecretVariables(services, key.tenantId);
  for (const [variable, binding] of Object.entries(body.secrets)) {
    if (binding.fromEnv && !shared.includes(binding.fromEnv)) problems.push({ path: `body.secrets.${variable}.fromEnv`, message: `'${binding.fromEnv}' is not shared with tenant '${key.tenantId}' (the operator lists the variables each tenant may bind in FACTORY_TENANT_SECRETS)` });
  }
  if (problems.length) throw new Validation(problems, 'The environment bindings are invalid.');
}

/** Replaces the environment's bindings and policy; audited as `EnvironmentUpdated.v1`. Takes effect at the next deployment. */
export async function putEnvironment(services: DeliveryServices, key: Key, name: string, body: z.output<typeof environmentBody>, change: ChangeContext): Promise<EnvironmentDocument> {
  const current = await environmentOf(services, key, name);
  await checkBindings(services, key, body);
  const next: EnvironmentDocument = { ...current, config: body.config, secrets: body.secrets, selfHeal: body.selfHeal ?? name !== 'production', replicas: body.replicas, updatedAt: new Date().toISOString(), updatedBy: change.principal?.id ?? 'system' };
  delete (next as { _etag?: string })._etag;
  const changes = (['config', 'secrets', 'selfHeal', 'replicas'] as const).filter((field) => JSON.stringify(current[field]) !== JSON.stringify(next[field]));
  const event = changeEvent('EnvironmentUpdated.v1', { environment: name, changes: changes.length ? [...changes] : ['none'] }, change, { ...key, subject: `environments/${name}` });
  await services.platform.outbox.commit(DELIVERY_CONTAINER, key, [{ op: 'upsert', document: next }], [event]);
  return next;
}

function resolveSecrets(services: DeliveryServices, environment: EnvironmentDocument): Record<string, string> {
  const secrets: Record<string, string> = {};
  const shared = sharedSecretVariables(services, environment.tenantId);
  for (const [variable, binding] of Object.entries(environment.secrets)) {
    if (services.runtime.name === 'azure') {
      if (binding.keyVaultSecretUri) secrets[variable] = binding.keyVaultSecretUri;
    } else if (binding.fromEnv && shared.includes(binding.fromEnv) && process.env[binding.fromEnv] !== undefined) {
      secrets[variable] = process.env[binding.fromEnv]!;
    }
  }
  return secrets;
}

/** The desired state of an environment for a release's modules: the environment's bindings, replicas and code. */
export function toDesiredEnvironment(services: DeliveryServices, key: Key, environment: EnvironmentDocument, release: { releaseId: string; commit: string; traceId: string; modules: DeliveryManifest['modules'] }): DesiredEnvironment {
  const secrets = resolveSecrets(services, environment);
  const gitdir = services.repository(key.tenantId, key.projectId).gitdir;
  const registry = services.platform.config.FACTORY_CONTAINER_REGISTRY;
  const modules: ModuleDeployment[] = release.modules.map((module) => ({
    module: module.name,
    kind: module.kind,
    version: module.version,
    commit: release.commit,
    artifactHash: module.artifactHash,
    replicas: environment.replicas[module.name] ?? module.replicas,
    config: { ...environment.config },
    secrets,
    source: { gitdir, commit: release.commit, folder: module.folder },
    ...(registry ? { image: `${registry}/${key.projectId}-${module.folder}:${release.commit.slice(0, 12)}` } : {}),
    traceId: release.traceId,
  }));
  return { ...key, environment: environment.name, releaseId: release.releaseId, modules };
}

/** The desired-state document an applied state becomes (what drift scans compare against). */
export function toDesiredStateDocument(key: Key, desired: DesiredEnvironment, modules: DeliveryManifest['modules'], bindings?: EnvironmentBindings): DesiredStateDocument {
  return {
    id: `desired:${desired.environment}`,
    ...key,
    type: 'desiredState',
    environment: desired.environment,
    releaseId: desired.releaseId,
    commit: desired.modules[0]?.commit ?? '',
    modules: desired.modules.map((m) => {
      const source = modules.find((x) => x.name === m.module)!;
      return { name: m.module, kind: m.kind, folder: source.folder, version: m.version, artifactHash: m.artifactHash, replicas: m.replicas, configHash: configHashOf(m.config, Object.keys(m.secrets)), ...(source.contract ? { contract: source.contract } : {}) };
    }),
    ...(bindings ? { bindings: { config: bindings.config, secrets: bindings.secrets } } : {}),
    updatedAt: new Date().toISOString(),
  };
}

/**
 * The environment as a recorded state was applied: its bindings then (config and secret bindings),
 * and no replica overrides (the state's modules carry their replica counts). States recorded before
 * bindings were kept fall back to the current bindings.
 */
export function pinnedTo(environment: EnvironmentDocument, state: DesiredStateDocument): EnvironmentDocument {
  return state.bindings ? { ...environment, config: state.bindings.config, secrets: state.bindings.secrets, replicas: {} } : { ...environment, replicas: {} };
}
