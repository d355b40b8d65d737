import type { ContainerName } from '../catalog';
import { StoreConflict, StoreNotFound, type BatchOperation, type DocumentStore, type PartitionKey } from '../ports';
import { toDerivedId } from './documentId';
import type { OutboxDocument, OutboxEvent, OutboxSource, PendingOutboxDocument } from './outboxDocument';

export type { OutboxDocument, OutboxEvent, OutboxSource, PendingOutboxDocument } from './outboxDocument';

/** The outbox document for `event` in `key`'s partition (its id is derived from the event id). */
export function toOutboxDocument(key: PartitionKey, event: OutboxEvent, now = new Date()): OutboxDocument {
  return {
    id: toDerivedId('outbox', event.id),
    type: 'outbox',
    tenantId: key.tenantId,
    ...(key.projectId !== undefined ? { projectId: key.projectId } : {}),
    event,
    createdAt: now.toISOString(),
    sentAt: null,
  };
}

/**
 * A state-change batch with its events appended as outbox documents, so the change and the events
 * commit together or not at all. Writing the same event id twice in a partition is a conflict.
 */
export function withOutbox(key: PartitionKey, operations: BatchOperation[], events: OutboxEvent | OutboxEvent[], now = new Date()): BatchOperation[] {
  const outbox = (Array.isArray(events) ? events : [events]).map((event): BatchOperation => ({ op: 'create', document: toOutboxDocument(key, event, now) }));
  return [...operations, ...outbox];
}

/** Commits `operations` and the outbox documents for `events` in one batch of one partition. */
export async function commitWithEvents(
  store: DocumentStore,
  container: ContainerName,
  key: PartitionKey,
  operations: BatchOperation[],
  events: OutboxEvent | OutboxEvent[],
): Promise<void> {
  await store.batch(container, key, withOutbox(key, operations, events));
}

export interface OutboxDispatcherOptions {
  store: DocumentStore & OutboxSource;
  /** Delivers events (to the `factory-events` topic); a throw leaves them pending for the next run. */
  publish: (events: OutboxEvent[]) => Promise<void>;
  /** Documents per run (default 100). */
  batchSize?: number;
  /** What happens to a published outbox document: kept with `sentAt` set (default) or deleted. */
  afterPublish?: 'markSent' | 'delete';
  clock?: () => Date;
}

/**
 * Publishes unsent outbox documents, then marks them sent (or deletes them). Delivery is at least
 * once: a crash between publish and mark republishes, so consumers de-duplicate by event id
 * (`ProcessedEvents`). Locally the SQLite store lists pending documents across partitions; on Cosmos
 * DB a cross-partition query per container does the same at small scale, and the change feed is the
 * production path. Run `dispatchOnce` from a timer trigger, or `drain` to empty the outbox.
 */
export class OutboxDispatcher {
  private readonly batchSize: number;

  constructor(private readonly options: OutboxDispatcherOptions) {
    this.batchSize = options.batchSize ?? 100;
  }

  /** Publishes one batch of pending events; returns how many were published. */
  async dispatchOnce(): Promise<number> {
    const pending = await this.options.store.pendingOutbox(this.batchSize);
    if (pending.length === 0) return 0;
    await this.options.publish(pending.map((p) => p.document.event));
    for (const entry of pending) await this.settle(entry);
    return pending.length;
  }

  /** Dispatches until the outbox is empty; returns how many events were published. */
  async drain(): Promise<number> {
    let total = 0;
    for (let n = await this.dispatchOnce(); n > 0; n = n < this.batchSize ? 0 : await this.dispatchOnce()) total += n;
    return total;
  }

  private async settle({ container, document }: PendingOutboxDocument): Promise<void> {
    const { store, afterPublish = 'markSent', clock = () => new Date() } = this.options;
    try {
      if (afterPublish === 'delete') {
        await store.delete(container, document, document.id, document._etag);
      } else {
        await store.replace(container, { ...document, sentAt: clock().toISOString() }, document._etag);
      }
    } catch (error) {
      // Another dispatcher settled it first; the event went out at least once either way.
      if (!(error instanceof StoreConflict || error instanceof StoreNotFound)) throw error;
    }
  }
}
