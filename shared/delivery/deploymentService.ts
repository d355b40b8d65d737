import { changeEvent, type ChangeContext } from '../platform/eventOutbox';
import type { BatchOperation } from '../platform/ports';
import type { OutboxEvent } from '../platform/store/outboxDocument';
import { configHashOf, type DesiredEnvironment, type ModuleApplyOutcome } from '../runtime';
import { environmentOf, pinnedTo, toDesiredEnvironment, toDesiredStateDocument } from './environmentService';
import { DELIVERY_CONTAINER, type DeliveryManifest, type DeploymentDocument, type DesiredStateDocument, type EnvironmentBindings } from './schemas';
import type { DeliveryServices } from './services';
import { toDeploymentId } from './store';

type Key = { tenantId: string; projectId: string };

/** Seconds a new replica may take to answer ready before its deployment counts as failed. */
export const READY_TIMEOUT_MS = 90_000;

/**
 * Applies a release's modules to an environment through the runtime provider (idempotent: converges).
 * With `pinned` (a recorded desired state: rollback, remediation) it applies that state's bindings,
 * not the environment's current ones — a bad configuration change cannot follow a rollback.
 */
export async function applyRelease(services: DeliveryServices, key: Key, environment: string, release: { releaseId: string; commit: string; traceId: string; modules: DeliveryManifest['modules'] }, pinned?: DesiredStateDocument): Promise<{ desired: DesiredEnvironment; outcomes: ModuleApplyOutcome[] }> {
  const current = await environmentOf(services, key, environment);
  const desired = toDesiredEnvironment(services, key, pinned ? pinnedTo(current, pinned) : current, release);
  const outcomes = await services.runtime.apply(desired, { readyTimeoutMs: READY_TIMEOUT_MS });
  return { desired, outcomes };
}

/** The modules of a desired-state document as manifest modules (to re-apply it). */
export function modulesOf(state: DesiredStateDocument): DeliveryManifest['modules'] {
  return state.modules.map((m) => ({ name: m.name, kind: m.kind, folder: m.folder, version: m.version, artifactHash: m.artifactHash, replicas: m.replicas, ...(m.contract ? { contract: m.contract } : {}) }));
}

/**
 * Records what was applied as the environment's desired state (last good) and one deployment per
 * module with `DeploymentSucceeded.v1`, in one batch; deterministic ids make a re-run a no-op.
 */
export async function recordDeployed(services: DeliveryServices, key: Key, desired: DesiredEnvironment, modules: DeliveryManifest['modules'], kind: DeploymentDocument['kind'], change: ChangeContext, runId = desired.releaseId, bindings?: EnvironmentBindings): Promise<void> {
  const live = await services.runtime.live(desired);
  const operations: BatchOperation[] = [{ op: 'upsert', document: toDesiredStateDocument(key, desired, modules, bindings) }];
  const events: OutboxEvent[] = [];
  for (const module of desired.modules) {
    const deploymentId = toDeploymentId(desired.environment, module.module, runId, kind);
    if (await services.store.store.read(DELIVERY_CONTAINER, key, deploymentId)) continue;
    const endpoints = (live.find((m) => m.module === module.module)?.replicas ?? []).map((r) => r.url).filter((u): u is string => Boolean(u));
    const deployment: DeploymentDocument = { id: deploymentId, ...key, type: 'deployment', deploymentId, environment: desired.environment, module: module.module, releaseId: desired.releaseId, kind, version: module.version, configHash: configHashOf(module.config, Object.keys(module.secrets)), replicas: module.replicas, status: 'Succeeded', endpoints, finishedAt: new Date().toISOString(), traceId: change.traceId };
    operations.push({ op: 'upsert', document: deployment });
    events.push(changeEvent('DeploymentSucceeded.v1', { deploymentId, environment: desired.environment, module: module.module, releaseId: desired.releaseId, version: module.version, kind, endpoints }, change, { ...key, workflowId: desired.releaseId, subject: `deployments/${deploymentId}` }));
  }
  await services.platform.outbox.commit(DELIVERY_CONTAINER, key, operations, events);
  await services.store.index({ ...key, environment: desired.environment });
}

/**
 * Rolls an environment back to its last good state after a failed promotion: re-applies the
 * recorded desired state with its bindings (or, when nothing was ever good there or the environment
 * was stopped, stops the release's modules),
 * records each module of the failed release as a failed deployment and `DeploymentRolledBack.v1`.
 */
export async function rollBack(services: DeliveryServices, key: Key, environment: string, failed: { releaseId: string; modules: DeliveryManifest['modules'] }, reason: string, change: ChangeContext): Promise<{ restored?: string; outcomes: ModuleApplyOutcome[] }> {
  const recorded = await services.store.desired(key, environment);
  const lastGood = recorded && !recorded.stoppedAt ? recorded : undefined;
  let outcomes: ModuleApplyOutcome[] = [];
  if (lastGood) {
    outcomes = (await applyRelease(services, key, environment, { releaseId: lastGood.releaseId, commit: lastGood.commit, traceId: change.traceId, modules: modulesOf(lastGood) }, lastGood)).outcomes;
  } else {
    await services.runtime.teardown({ ...key, environment });
  }
  const operations: BatchOperation[] = [];
  const events: OutboxEvent[] = [];
  for (const module of failed.modules) {
    const deploymentId = toDeploymentId(environment, module.name, failed.releaseId, 'release');
    if (await services.store.store.read(DELIVERY_CONTAINER, key, deploymentId)) continue;
    const previous = lastGood?.modules.find((m) => m.name === module.name);
    operations.push({ op: 'upsert', document: { id: deploymentId, ...key, type: 'deployment', deploymentId, environment, module: module.name, releaseId: failed.releaseId, kind: 'release', version: module.version, configHash: '', replicas: module.replicas, status: 'RolledBack', reason, endpoints: [], finishedAt: new Date().toISOString(), traceId: change.traceId } satisfies DeploymentDocument });
    events.push(changeEvent('DeploymentRolledBack.v1', { deploymentId, environment, module: module.name, fromReleaseId: failed.releaseId, toReleaseId: lastGood?.releaseId ?? 'none', toVersion: previous?.version ?? 'none', reason }, change, { ...key, workflowId: failed.releaseId, subject: `deployments/${deploymentId}` }));
  }
  if (operations.length) await services.platform.outbox.commit(DELIVERY_CONTAINER, key, operations, events);
  return { ...(lastGood ? { restored: lastGood.releaseId } : {}), outcomes };
}

/**
 * Stops every replica of an environment and records that nothing is desired there until the next
 * release (`stoppedAt` on its desired state), so drift scans and self-heal leave it stopped;
 * audited as `EnvironmentUpdated.v1` with `changes: ['stopped']`. Returns the replicas stopped.
 */
export async function stopEnvironment(services: DeliveryServices, key: Key, environment: string, change: ChangeContext): Promise<number> {
  const state = await services.store.desired(key, environment);
  const now = new Date().toISOString();
  const operations: BatchOperation[] = [];
  if (state && !state.stoppedAt) {
    const { _etag, ...document } = state;
    operations.push({ op: 'replace', document: { ...document, stoppedAt: now, stoppedBy: change.principal?.id ?? 'system', updatedAt: now }, ifMatch: _etag });
  }
  const event = changeEvent('EnvironmentUpdated.v1', { environment, changes: ['stopped'] }, change, { ...key, subject: `environments/${environment}` });
  await services.platform.outbox.commit(DELIVERY_CONTAINER, key, operations, [event]);
  return services.runtime.teardown({ ...key, environment });
}
