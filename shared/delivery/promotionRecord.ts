import { changeEvent, type ChangeContext } from '../platform/eventOutbox';
import { StoreConflict } from '../platform/ports';
import type { OutboxEvent } from '../platform/store/outboxDocument';
import { DELIVERY_CONTAINER, type PromotionDocument, type PromotionStep, type ReleaseDocument } from './schemas';
import type { DeliveryServices } from './services';
import { toPromotionId } from './store';

type Key = { tenantId: string; projectId: string };
const ATTEMPTS = 10;
const system = (traceId: string): ChangeContext => ({ principal: { id: 'system:release' }, traceId });

/** Creates the promotion record (phase Pending) and emits `PromotionStarted.v1`, once per release and environment. */
export async function beginPromotion(services: DeliveryServices, key: Key, release: Pick<ReleaseDocument, 'releaseId' | 'traceId'>, environment: string): Promise<void> {
  if (await services.store.promotion(key, release.releaseId, environment)) return;
  const promotionId = toPromotionId(release.releaseId, environment);
  const now = new Date().toISOString();
  const promotion: PromotionDocument = { id: promotionId, ...key, type: 'promotion', promotionId, releaseId: release.releaseId, environment, phase: 'Pending', steps: [], traceId: release.traceId, startedAt: now };
  const releaseDoc = await services.store.release(key, release.releaseId);
  const operations = [{ op: 'create' as const, document: promotion }, ...(releaseDoc ? [{ op: 'replace' as const, document: stripEtag({ ...releaseDoc, environment }), ifMatch: releaseDoc._etag }] : [])];
  const event = changeEvent('PromotionStarted.v1', { promotionId, releaseId: release.releaseId, environment }, system(release.traceId), { ...key, workflowId: release.releaseId, subject: `promotions/${promotionId}` });
  try {
    await services.platform.outbox.commit(DELIVERY_CONTAINER, key, operations, [event]);
  } catch (error) {
    if (!(error instanceof StoreConflict)) throw error;
  }
}

/**
 * Changes a promotion record: `mutate` gets the current record and returns the next (or undefined
 * for no change) and the events to emit with it; lost ETag races are retried.
 */
export async function updatePromotion(services: DeliveryServices, key: Key, releaseId: string, environment: string, mutate: (current: PromotionDocument) => { next: PromotionDocument; events?: OutboxEvent[] } | undefined): Promise<PromotionDocument> {
  for (let attempt = 0; ; attempt++) {
    const current = await services.store.promotion(key, releaseId, environment);
    if (!current) throw new Error(`Promotion of ${releaseId} to ${environment} was not begun.`);
    const change = mutate(stripEtag(current));
    if (!change) return current;
    try {
      await services.platform.outbox.commit(DELIVERY_CONTAINER, key, [{ op: 'replace', document: change.next, ifMatch: current._etag }], change.events ?? []);
      return change.next;
    } catch (error) {
      if (!(error instanceof StoreConflict) || attempt >= ATTEMPTS) throw error;
    }
  }
}

/** Adds or updates a named step (a re-run activity updates its own step, never adds a second). */
export function withStep(promotion: PromotionDocument, step: { name: string; status: PromotionStep['status']; output?: string }): PromotionDocument {
  const now = new Date().toISOString();
  const existing = promotion.steps.find((s) => s.name === step.name);
  const finished = step.status === 'running' ? undefined : now;
  const next: PromotionStep = { name: step.name, status: step.status, ...(step.output !== undefined ? { output: step.output.slice(0, 8000) } : {}), startedAt: existing?.startedAt ?? now, ...(finished ? { finishedAt: finished } : {}) };
  return { ...promotion, steps: existing ? promotion.steps.map((s) => (s.name === step.name ? next : s)) : [...promotion.steps, next] };
}

/** Records one step of a promotion, optionally moving its phase. */
export function recordPromotionStep(services: DeliveryServices, key: Key, releaseId: string, environment: string, step: { name: string; status: PromotionStep['status']; output?: string }, phase?: PromotionDocument['phase']): Promise<PromotionDocument> {
  return updatePromotion(services, key, releaseId, environment, (current) => ({ next: { ...withStep(current, step), ...(phase ? { phase } : {}) } }));
}

/** Ends a promotion in `phase` with the reason, emitting `PromotionFinished.v1` once. */
export function finishPromotion(services: DeliveryServices, key: Key, releaseId: string, environment: string, phase: 'Succeeded' | 'Failed' | 'RolledBack' | 'Rejected', reason?: string): Promise<PromotionDocument> {
  return updatePromotion(services, key, releaseId, environment, (current) => {
    if (current.finishedAt) return undefined;
    const next: PromotionDocument = { ...current, phase, ...(reason ? { reason } : {}), finishedAt: new Date().toISOString() };
    const event = changeEvent('PromotionFinished.v1', { promotionId: current.promotionId, releaseId, environment, phase, ...(reason ? { reason } : {}) }, system(current.traceId), { ...key, workflowId: releaseId, subject: `promotions/${current.promotionId}` });
    return { next, events: [event] };
  });
}

export function stripEtag<T extends object>(doc: T): T {
  const { _etag: _ignored, ...rest } = doc as T & { _etag?: string };
  return rest as T;
}
