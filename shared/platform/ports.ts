import type { ContainerName, QueueName } from './catalog';

/** One adapter's answer to "are you reachable?", shown by GET /api/health. */
export interface HealthCheck {
  name: string;
  adapter: string;
  ok: boolean;
  detail?: string;
}

// --- Store ------------------------------------------------------------------------------------

/** Every stored document is scoped to a tenant; high-volume containers also to a project. */
export interface PartitionKey {
  tenantId: string;
  projectId?: string;
}

export interface StoredDocument {
  id: string;
  tenantId: string;
  projectId?: string;
  /** Document kind within its container (e.g. 'tenant', 'apiKey', 'outbox'). */
  type: string;
  [field: string]: unknown;
}

/** A document as read back: with its concurrency token. */
export type Versioned<T extends StoredDocument> = T & { _etag: string };

export type FilterOp = '=' | '!=' | '<' | '<=' | '>' | '>=';

export interface QuerySpec {
  /** All conditions must hold; `field` is a dotted path into the document. */
  where?: { field: string; op: FilterOp; value: string | number | boolean | null }[];
  orderBy?: { field: string; direction?: 'asc' | 'desc' };
  /** Page size (1–1000, default 100). */
  limit?: number;
  /** Token from the previous page's `continuation`. */
  continuation?: string;
}

export interface Page<T> {
  items: T[];
  continuation?: string;
}

export type BatchOperation<T extends StoredDocument = StoredDocument> =
  | { op: 'create'; document: T }
  | { op: 'upsert'; document: T }
  | { op: 'replace'; document: T; ifMatch?: string }
  | { op: 'delete'; id: string; ifMatch?: string };

/**
 * Tenant-partitioned document store. Every read is a point read or a single-partition query.
 * Errors: a create over an existing id or a stale `ifMatch` throws `StoreConflict`; a replace or
 * delete of a missing document throws `StoreNotFound`.
 */
export interface DocumentStore {
  read<T extends StoredDocument>(container: ContainerName, key: PartitionKey, id: string): Promise<Versioned<T> | undefined>;
  create<T extends StoredDocument>(container: ContainerName, document: T): Promise<Versioned<T>>;
  upsert<T extends StoredDocument>(container: ContainerName, document: T): Promise<Versioned<T>>;
  replace<T extends StoredDocument>(container: ContainerName, document: T, ifMatch?: string): Promise<Versioned<T>>;
  delete(container: ContainerName, key: PartitionKey, id: string, ifMatch?: string): Promise<void>;
  query<T extends StoredDocument>(container: ContainerName, key: PartitionKey, spec: QuerySpec): Promise<Page<Versioned<T>>>;
  /** All operations in one partition, applied together or not at all. */
  batch(container: ContainerName, key: PartitionKey, operations: BatchOperation[]): Promise<void>;
  check(): Promise<HealthCheck>;
  close(): Promise<void>;
}

export class StoreConflict extends Error {
  readonly code = 'Conflict';
}

export class StoreNotFound extends Error {
  readonly code = 'NotFound';
}

/** A continuation token the store cannot continue from (forged, stale, or from another query). */
export class InvalidContinuation extends Error {
  readonly code = 'InvalidContinuation';
}

// --- Messaging --------------------------------------------------------------------------------

export interface OutgoingMessage {
  body: unknown;
  messageId?: string;
  subject?: string;
  correlationId?: string;
  contentType?: string;
  /** Carries `traceparent`, `tenantId`, `projectId`, `workflowId` among others. */
  applicationProperties?: Record<string, string | number | boolean>;
}

/** Queues and the event topic (Service Bus in Azure, the local host's broker locally). */
export interface Messaging {
  send(queue: QueueName, messages: OutgoingMessage | OutgoingMessage[]): Promise<void>;
  /** Publishes to the `factory-events` topic. */
  publish(messages: OutgoingMessage | OutgoingMessage[]): Promise<void>;
  /** Enqueues for later delivery; returns the sequence number. */
  schedule(queue: QueueName, message: OutgoingMessage, enqueueAt: Date): Promise<string>;
  check(): Promise<HealthCheck>;
  close(): Promise<void>;
}

// --- Blobs ------------------------------------------------------------------------------------

export interface BlobRef {
  /** sha256 of the content, hex; the blob's address. */
  contentHash: string;
  size: number;
  contentType: string;
}

/** Content-addressed storage for artifact content: the same bytes are stored once. */
export interface BlobStore {
  put(content: Buffer, contentType: string): Promise<BlobRef>;
  get(contentHash: string): Promise<Buffer | undefined>;
  exists(contentHash: string): Promise<boolean>;
  check(): Promise<HealthCheck>;
}
