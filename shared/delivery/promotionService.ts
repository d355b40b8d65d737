import { changeEvent, type ChangeContext } from '../platform/eventOutbox';
import { Conflict, Validation } from '../platform/http/errors';
import { StoreConflict } from '../platform/ports';
import { requireProject } from '../projects/lookup';
import { buildManifest } from './manifest';
import { stripEtag } from './promotionRecord';
import { requireRelease } from './releaseService';
import { DELIVERY_CONTAINER, type ReleaseDocument } from './schemas';
import type { DeliveryServices } from './services';

type Key = { tenantId: string; projectId: string };

/** The durable instance id of the promotion of a release to one more environment. */
export const promotionInstanceId = (release: Pick<ReleaseDocument, 'instanceId'>, environment: string) => `${release.instanceId}:promote:${environment}`;

/**
 * The environments a release of this commit goes through, in order: the blueprint's environments
 * that the project has, each with the blueprint's `release.approvals` for it.
 */
async function promotionChain(services: DeliveryServices, key: Key, release: ReleaseDocument): Promise<ReleaseDocument['manifest']['environments']> {
  const project = await requireProject(services.platform.store, key.tenantId, key.projectId);
  const full = await buildManifest(services.platform.store, services.repository(key.tenantId, key.projectId), key, release.manifest.commit);
  return full.environments.filter((e) => project.environments.includes(e.name));
}

/**
 * Where a release may be promoted next (Kargo: freight moves stage by stage): `environment` must be
 * in `chain`, have no promotion of this release yet, and come right after the furthest environment
 * whose promotion `Succeeded` (none: the first of the chain). Returns the chain entry, or throws 400
 * (path `body.environment`) for an environment not in the chain, 409 `AlreadyPromoted` or
 * `PromotionOutOfOrder`. Pure: the route's rule, testable on its own.
 */
export function nextStage<E extends { name: string }>(releaseId: string, chain: E[], promotions: { environment: string; phase: string }[], environment: string): E {
  const target = chain.findIndex((e) => e.name === environment);
  if (target < 0) throw new Validation([{ path: 'body.environment', message: `not an environment of this project's releases (${chain.map((e) => e.name).join(', ')})` }], 'Unknown environment.');
  const existing = promotions.find((p) => p.environment === environment);
  if (existing) throw new Conflict(`Release '${releaseId}' was already promoted to ${environment} (${existing.phase}).`, 'AlreadyPromoted');
  const furthest = Math.max(-1, ...promotions.filter((p) => p.phase === 'Succeeded').map((p) => chain.findIndex((e) => e.name === p.environment)));
  if (target !== furthest + 1) {
    const next = chain[furthest + 1]?.name;
    throw new Conflict(next ? `Release '${releaseId}' must be promoted to ${next} before ${environment}.` : `Release '${releaseId}' has reached its last environment.`, 'PromotionOutOfOrder');
  }
  return chain[target];
}

/** `nextStage` for a stored release; 409 `ReleaseRunning` while it runs. */
async function checkNextStage(services: DeliveryServices, key: Key, release: ReleaseDocument, environment: string) {
  if (release.status === 'Running') throw new Conflict(`Release '${release.releaseId}' is still running${release.environment ? ` (in ${release.environment})` : ''}; promote it when it has finished.`, 'ReleaseRunning');
  const chain = await promotionChain(services, key, release);
  return nextStage(release.releaseId, chain, (await services.store.promotionsOf(key, release.releaseId)).items, environment);
}

/**
 * Records the request to promote a finished release to the next environment: the environment is
 * added to the release's manifest, the release is `Running` again and `PromotionRequested.v1` is
 * emitted (audited); the caller then starts the Release orchestration for that one environment
 * (policy, approval, deploy, health check, smoke call, promote or roll back, as in a release).
 * 404 for an unknown release; see `checkNextStage` for 400/409. A concurrent request loses with 409.
 */
export async function requestPromotion(services: DeliveryServices, key: Key, releaseId: string, environment: string, change: ChangeContext): Promise<ReleaseDocument> {
  const current = await requireRelease(services, key, releaseId);
  const stage = await checkNextStage(services, key, current, environment);
  const { finishedAt: _finished, failure: _failure, ...rest } = stripEtag(current);
  const listed = current.manifest.environments.some((e) => e.name === environment);
  const environments = listed ? current.manifest.environments : [...current.manifest.environments, { ...stage, order: current.manifest.environments.length + 1 }];
  const next: ReleaseDocument = { ...rest, status: 'Running', environment, manifest: { ...current.manifest, environments } };
  const event = changeEvent('PromotionRequested.v1', { releaseId, environment, version: current.version }, change, { ...key, workflowId: releaseId, subject: `releases/${releaseId}` });
  try {
    await services.platform.outbox.commit(DELIVERY_CONTAINER, key, [{ op: 'replace', document: next, ifMatch: current._etag }], [event]);
  } catch (error) {
    if (error instanceof StoreConflict) throw new Conflict(`Release '${releaseId}' changed while promoting it; read it again.`, 'AlreadyPromoted');
    throw error;
  }
  return next;
}
