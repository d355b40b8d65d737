import type { ContainerName } from '../catalog';
import type { StoredDocument, Versioned } from '../ports';

/**
 * A CloudEvents-style event as the outbox carries it. The store treats it as opaque: only `id` is
 * read (for the outbox document's id and consumers' de-duplication).
 */
export interface OutboxEvent {
  id: string;
  type: string;
  source: string;
  time: string;
  data?: unknown;
  [attribute: string]: unknown;
}

/** An event waiting in the same partition as the state change that raised it. */
export interface OutboxDocument extends StoredDocument {
  type: 'outbox';
  event: OutboxEvent;
  /** When the event was written, ISO 8601. */
  createdAt: string;
  /** Set once the dispatcher has published the event; null until then. */
  sentAt: string | null;
}

/** An unsent outbox document and the container it lives in. */
export interface PendingOutboxDocument {
  container: ContainerName;
  document: Versioned<OutboxDocument>;
}

/** A store that can list unsent outbox documents across partitions (for the dispatcher). */
export interface OutboxSource {
  pendingOutbox(limit: number): Promise<PendingOutboxDocument[]>;
}
