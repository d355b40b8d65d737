import type { ContainerName } from '../catalog';
import { StoreConflict, StoreNotFound, type BatchOperation, type DocumentStore, type PartitionKey, type StoredDocument } from '../ports';
import { toDerivedId } from './documentId';

/** Where markers go when the caller names no partition: platform bookkeeping, not a tenant. */
export const PLATFORM_PARTITION: PartitionKey = { tenantId: '_platform' };

/** A consumer's record that it handled an event. */
export interface ProcessedEventDocument extends StoredDocument {
  type: 'processedEvent';
  consumer: string;
  eventId: string;
  processedAt: string;
}

export interface ProcessedEventsOptions {
  /** A container partitioned by tenant only, or one whose keys always carry projectId (default 'tenants'). */
  container?: ContainerName;
}

/**
 * De-duplication for at-least-once consumers: one marker document per (consumer, event id), made
 * atomic by create-conflict. Pass the event's tenant (and project) as `key` to keep markers out of
 * one hot partition; or add `toOperation(...)` to the consumer's own batch so that the marker and
 * the state change commit together.
 */
export class ProcessedEvents {
  private readonly container: ContainerName;

  constructor(
    private readonly store: DocumentStore,
    options: ProcessedEventsOptions = {},
  ) {
    this.container = options.container ?? 'tenants';
  }

  /** Records `eventId` for `consumer`; true when it was already recorded (a duplicate delivery). */
  async seen(consumer: string, eventId: string, key: PartitionKey = PLATFORM_PARTITION): Promise<boolean> {
    try {
      await this.store.create(this.container, this.toDocument(consumer, eventId, key));
      return false;
    } catch (error) {
      if (error instanceof StoreConflict) return true;
      throw error;
    }
  }

  /** Removes the marker, so a consumer whose handling failed after `seen` sees the event again. */
  async forget(consumer: string, eventId: string, key: PartitionKey = PLATFORM_PARTITION): Promise<void> {
    try {
      await this.store.delete(this.container, key, toDerivedId('processed', consumer, eventId));
    } catch (error) {
      if (!(error instanceof StoreNotFound)) throw error;
    }
  }

  /** The marker as a batch operation: the batch fails with `StoreConflict` on a duplicate. */
  toOperation(consumer: string, eventId: string, key: PartitionKey = PLATFORM_PARTITION): BatchOperation {
    return { op: 'create', document: this.toDocument(consumer, eventId, key) };
  }

  private toDocument(consumer: string, eventId: string, key: PartitionKey): ProcessedEventDocument {
    return {
      id: toDerivedId('processed', consumer, eventId),
      type: 'processedEvent',
      tenantId: key.tenantId,
      ...(key.projectId !== undefined ? { projectId: key.projectId } : {}),
      consumer,
      eventId,
      processedAt: new Date().toISOString(),
    };
  }
}
