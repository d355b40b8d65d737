import { randomBytes } from 'node:crypto';
import { changeEvent, type ChangeContext } from '../platform/eventOutbox';
import { NotFound, Validation } from '../platform/http/errors';
import { StoreConflict, type Versioned } from '../platform/ports';
import { requireProject } from '../projects/lookup';
import { buildManifest } from './manifest';
import { DELIVERY_CONTAINER, type ReleaseDocument } from './schemas';
import type { DeliveryServices } from './services';
import { stripEtag } from './promotionRecord';

type Key = { tenantId: string; projectId: string };
const system = (traceId: string): ChangeContext => ({ principal: { id: 'system:release' }, traceId });

/** `rel-<time base36>-<4 random hex>`: sortable enough to read, unique per project. */
export const newReleaseId = () => `rel-${Date.now().toString(36)}-${randomBytes(2).toString('hex')}`;

/** The durable instance id of a release's orchestration. */
export const releaseInstanceId = (key: Key, releaseId: string) => `release:${key.tenantId}:${key.projectId}:${releaseId}`;

/**
 * Records a release of `ref` (default main) with its manifest and emits `ReleaseCreated.v1`; the
 * caller then starts the Release orchestration. 400 when the ref is unknown or not a factory commit.
 */
export async function createRelease(services: DeliveryServices, key: Key, input: { ref: string; environments?: string[] }, change: ChangeContext): Promise<ReleaseDocument> {
  const project = await requireProject(services.platform.store, key.tenantId, key.projectId);
  const unknown = (input.environments ?? []).flatMap((name, index) => (project.environments.includes(name) ? [] : [{ path: `body.environments[${index}]`, message: `'${name}' is not an environment of project '${key.projectId}' (${project.environments.join(', ')})` }]));
  if (unknown.length) throw new Validation(unknown, 'A release can only go to the project\'s environments.');
  const repository = services.repository(key.tenantId, key.projectId);
  const manifest = await buildManifest(services.platform.store, repository, key, input.ref, input.environments);
  manifest.environments = manifest.environments.filter((e) => project.environments.includes(e.name)).map((e, i) => ({ ...e, order: i + 1 }));
  const releaseId = newReleaseId();
  const release: ReleaseDocument = {
    id: releaseId,
    ...key,
    type: 'release',
    releaseId,
    version: `bp${manifest.blueprintVersion}-${manifest.commit.slice(0, 12)}`,
    manifest,
    status: 'Running',
    traceId: change.traceId,
    createdBy: change.principal?.id ?? 'system',
    createdAt: new Date().toISOString(),
    instanceId: releaseInstanceId(key, releaseId),
  };
  const event = changeEvent(
    'ReleaseCreated.v1',
    { releaseId, version: release.version, commit: manifest.commit, modules: manifest.modules.map((m) => ({ name: m.name, version: m.version })), environments: manifest.environments.map((e) => e.name) },
    change,
    { ...key, workflowId: releaseId, subject: `releases/${releaseId}` },
  );
  await services.platform.outbox.commit(DELIVERY_CONTAINER, key, [{ op: 'create', document: release }], [event]);
  return release;
}

/** The release, or 404. */
export async function requireRelease(services: DeliveryServices, key: Key, releaseId: string): Promise<Versioned<ReleaseDocument>> {
  const release = await services.store.release(key, releaseId);
  if (!release) throw new NotFound(`Release '${releaseId}' was not found.`);
  return release;
}

/** Ends a release (once) and emits `ReleaseFinished.v1`. */
export async function finishRelease(services: DeliveryServices, key: Key, releaseId: string, status: 'Succeeded' | 'Failed' | 'Rejected', reason?: string): Promise<void> {
  for (let attempt = 0; attempt < 10; attempt++) {
    const current = await requireRelease(services, key, releaseId);
    if (current.finishedAt) return;
    const next: ReleaseDocument = { ...stripEtag(current), status, ...(reason ? { failure: reason } : {}), finishedAt: new Date().toISOString() };
    const event = changeEvent('ReleaseFinished.v1', { releaseId, status, ...(reason ? { reason } : {}) }, system(current.traceId), { ...key, workflowId: releaseId, subject: `releases/${releaseId}` });
    try {
      await services.platform.outbox.commit(DELIVERY_CONTAINER, key, [{ op: 'replace', document: next, ifMatch: current._etag }], [event]);
      return;
    } catch (error) {
      if (!(error instanceof StoreConflict)) throw error;
    }
  }
}
