import {
  CosmosClient,
  PartitionKeyDefinitionVersion,
  PartitionKeyKind,
  type Container,
  type CosmosClientOptions,
  type Database,
  type OperationInput,
  type PartitionKey as CosmosPartitionKey,
  type PartitionKeyDefinition,
} from '@azure/cosmos';
import { DefaultAzureCredential } from '@azure/identity';
import type { Agent } from 'node:http';
import { CONTAINERS, type ContainerName } from '../catalog';
import {
  StoreConflict,
  StoreNotFound,
  InvalidContinuation,
  type BatchOperation,
  type DocumentStore,
  type HealthCheck,
  type Page,
  type PartitionKey,
  type QuerySpec,
  type StoredDocument,
  type Versioned,
} from '../ports';
import { toCosmosQuery } from './cosmosQuery';
import { fromCosmosDocument, toDocumentBody } from './documentBody';
import type { OutboxDocument, PendingOutboxDocument } from './outboxDocument';
import { assertDocumentId, assertInPartition, toPageSize, toPartitionValues, type PartitionValues } from './partition';

export interface CosmosDocumentStoreOptions {
  endpoint: string;
  database: string;
  /** Account key: emulators only. Without it the store authenticates with Entra ID. */
  key?: string;
  /** Client id of the user-assigned managed identity (AZURE_CLIENT_ID). */
  managedIdentityClientId?: string;
  /** HTTP agent, e.g. one that accepts an emulator's self-signed certificate. */
  agent?: Agent;
  /** Extra client options (tests turn endpoint discovery off). */
  clientOptions?: Partial<CosmosClientOptions>;
}

/** The Cosmos DB partition key definition for a catalog container. */
export function toPartitionKeyDefinition(paths: readonly string[]): PartitionKeyDefinition {
  return paths.length > 1
    ? { paths: [...paths], kind: PartitionKeyKind.MultiHash, version: PartitionKeyDefinitionVersion.V2 }
    : { paths: [...paths], kind: PartitionKeyKind.Hash, version: PartitionKeyDefinitionVersion.V2 };
}

function toCosmosPartitionKey(partition: PartitionValues): CosmosPartitionKey {
  return partition.length === 1 ? partition[0] : [...partition];
}

function isInPartition(resource: Record<string, unknown>, partition: PartitionValues): boolean {
  return resource.tenantId === partition[0] && (partition.length === 1 || resource.projectId === partition[1]);
}

/** 409 and 412 become `StoreConflict`, 404 `StoreNotFound`; anything else is rethrown. */
export function toStoreError(error: unknown, what: string): unknown {
  const code = (error as { code?: unknown })?.code;
  if (code === 409 || code === 412) return new StoreConflict(`${what}: ${code === 409 ? 'already exists' : 'ETag mismatch'}.`);
  if (code === 404) return new StoreNotFound(`${what}: not found.`);
  return error;
}

/**
 * `DocumentStore` over Azure Cosmos DB (NoSQL API): containers and partition keys from the catalog
 * (hierarchical keys for high-volume containers), optimistic concurrency with If-Match, queries as
 * parameterized SQL within one partition paged by the SDK's continuation token, and batches as
 * transactional batches (at most 100 operations).
 */
export class CosmosDocumentStore implements DocumentStore {
  private readonly client: CosmosClient;
  private readonly database: Database;

  constructor(private readonly options: CosmosDocumentStoreOptions) {
    const auth = options.key
      ? { key: options.key }
      : { aadCredentials: new DefaultAzureCredential({ managedIdentityClientId: options.managedIdentityClientId }) };
    this.client = new CosmosClient({ endpoint: options.endpoint, ...auth, agent: options.agent, ...options.clientOptions });
    this.database = this.client.database(options.database);
  }

  /** Creates the database and every catalog container when missing (idempotent). */
  async ensure(): Promise<void> {
    await this.client.databases.createIfNotExists({ id: this.options.database });
    for (const c of CONTAINERS) {
      await this.database.containers.createIfNotExists({ id: c.name, partitionKey: toPartitionKeyDefinition(c.partitionKey) });
    }
  }

  async read<T extends StoredDocument>(container: ContainerName, key: PartitionKey, id: string): Promise<Versioned<T> | undefined> {
    const partition = toPartitionValues(container, key);
    try {
      const { resource } = await this.container(container).item(id, toCosmosPartitionKey(partition)).read();
      // Defence in depth: never hand back a document from another partition (a no-op in Azure).
      return resource && isInPartition(resource, partition) ? fromCosmosDocument<T>(resource) : undefined;
    } catch (error) {
      if ((error as { code?: unknown }).code === 404) return undefined;
      throw error;
    }
  }

  async create<T extends StoredDocument>(container: ContainerName, document: T): Promise<Versioned<T>> {
    this.validate(container, document);
    try {
      const { resource } = await this.container(container).items.create(toDocumentBody(document));
      return fromCosmosDocument<T>(resource!);
    } catch (error) {
      throw toStoreError(error, `create '${document.id}' in '${container}'`);
    }
  }

  async upsert<T extends StoredDocument>(container: ContainerName, document: T): Promise<Versioned<T>> {
    this.validate(container, document);
    try {
      const { resource } = await this.container(container).items.upsert(toDocumentBody(document));
      return fromCosmosDocument<T>(resource!);
    } catch (error) {
      throw toStoreError(error, `upsert '${document.id}' in '${container}'`);
    }
  }

  async replace<T extends StoredDocument>(container: ContainerName, document: T, ifMatch?: string): Promise<Versioned<T>> {
    const partition = this.validate(container, document);
    try {
      const { resource } = await this.container(container)
        .item(document.id, toCosmosPartitionKey(partition))
        .replace(toDocumentBody(document), ifMatch ? { accessCondition: { type: 'IfMatch', condition: ifMatch } } : undefined);
      return fromCosmosDocument<T>(resource!);
    } catch (error) {
      throw toStoreError(error, `replace '${document.id}' in '${container}'`);
    }
  }

  async delete(container: ContainerName, key: PartitionKey, id: string, ifMatch?: string): Promise<void> {
    const partition = toPartitionValues(container, key);
    try {
      await this.container(container)
        .item(id, toCosmosPartitionKey(partition))
        .delete(ifMatch ? { accessCondition: { type: 'IfMatch', condition: ifMatch } } : undefined);
    } catch (error) {
      throw toStoreError(error, `delete '${id}' in '${container}'`);
    }
  }

  async query<T extends StoredDocument>(container: ContainerName, key: PartitionKey, spec: QuerySpec): Promise<Page<Versioned<T>>> {
    const partition = toPartitionValues(container, key);
    const iterator = this.container(container).items.query(toCosmosQuery(partition, spec), {
      partitionKey: toCosmosPartitionKey(partition),
      maxItemCount: toPageSize(spec.limit),
      continuationToken: spec.continuation,
    });
    let page;
    try {
      page = await iterator.fetchNext();
    } catch (error) {
      if (spec.continuation !== undefined && (error as { code?: unknown }).code === 400) throw new InvalidContinuation('The continuation token is not valid for this query.');
      throw error;
    }
    const { resources, continuationToken } = page;
    return { items: resources.map((r) => fromCosmosDocument<T>(r)), ...(continuationToken ? { continuation: continuationToken } : {}) };
  }

  async batch(container: ContainerName, key: PartitionKey, operations: BatchOperation[]): Promise<void> {
    const partition = toPartitionValues(container, key);
    const partitionKey = toCosmosPartitionKey(partition);
    const inputs = operations.map((operation) => this.toOperationInput(container, partition, operation));
    let results;
    try {
      results = (await this.container(container).items.batch(inputs, partitionKey)).result ?? [];
    } catch (error) {
      throw toStoreError(error, `batch in '${container}'`);
    }
    // A failed transactional batch reports the failing operation's status and 424 for the others.
    const failed = results.findIndex((r) => r.statusCode >= 400 && r.statusCode !== 424);
    if (failed >= 0) {
      const operation = operations[failed];
      throw toStoreError({ code: results[failed].statusCode }, `batch operation ${failed} (${operation.op})`) as Error;
    }
    if (results.length !== operations.length || results.some((r) => r.statusCode >= 400)) {
      throw new Error(`Batch in '${container}' was not applied (statuses ${results.map((r) => r.statusCode).join(', ')}).`);
    }
  }

  /**
   * Unsent outbox documents, by a cross-partition query per container. Fine for modest volumes;
   * in production the change feed (a Cosmos DB trigger) is the path that scales.
   */
  async pendingOutbox(limit: number): Promise<PendingOutboxDocument[]> {
    const pending: PendingOutboxDocument[] = [];
    for (const { name } of CONTAINERS) {
      if (pending.length >= limit) break;
      const { resources } = await this.container(name)
        .items.query({ query: "SELECT * FROM c WHERE c.type = 'outbox' AND c.sentAt = null" }, { maxItemCount: limit - pending.length })
        .fetchNext();
      for (const r of resources) pending.push({ container: name, document: fromCosmosDocument<OutboxDocument>(r) });
    }
    return pending.slice(0, limit);
  }

  async check(): Promise<HealthCheck> {
    try {
      await this.database.read();
      return { name: 'store', adapter: 'cosmos', ok: true, detail: `${this.options.endpoint} ${this.options.database}` };
    } catch (error) {
      return { name: 'store', adapter: 'cosmos', ok: false, detail: (error as Error).message };
    }
  }

  async close(): Promise<void> {
    this.client.dispose();
  }

  private container(name: ContainerName): Container {
    return this.database.container(name);
  }

  private validate(container: ContainerName, document: StoredDocument): PartitionValues {
    assertDocumentId(document.id);
    return toPartitionValues(container, document);
  }

  private toOperationInput(container: ContainerName, partition: PartitionValues, operation: BatchOperation): OperationInput {
    const partitionKey = toCosmosPartitionKey(partition);
    switch (operation.op) {
      case 'create':
      case 'upsert':
        this.validate(container, operation.document);
        assertInPartition(container, partition, operation.document);
        return { operationType: operation.op === 'create' ? 'Create' : 'Upsert', partitionKey, resourceBody: toDocumentBody(operation.document) } as OperationInput;
      case 'replace':
        this.validate(container, operation.document);
        assertInPartition(container, partition, operation.document);
        return { operationType: 'Replace', id: operation.document.id, partitionKey, resourceBody: toDocumentBody(operation.document), ifMatch: operation.ifMatch } as OperationInput;
      case 'delete':
        assertDocumentId(operation.id);
        return { operationType: 'Delete', id: operation.id, partitionKey, ifMatch: operation.ifMatch } as OperationInput;
    }
  }
}
