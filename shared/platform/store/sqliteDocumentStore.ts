import Database from 'better-sqlite3';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { ContainerName } from '../catalog';
import {
  StoreConflict,
  StoreNotFound,
  type BatchOperation,
  type DocumentStore,
  type HealthCheck,
  type Page,
  type PartitionKey,
  type QuerySpec,
  type StoredDocument,
  type Versioned,
} from '../ports';
import { toDocumentBody } from './documentBody';
import type { PendingOutboxDocument } from './outboxDocument';
import { assertDocumentId, assertInPartition, toPartitionValues, type PartitionValues } from './partition';
import { toContinuation, toSqliteQuery } from './sqliteQuery';

const SCHEMA = `
CREATE TABLE IF NOT EXISTS store_documents (
  container  TEXT NOT NULL,
  tenant_id  TEXT NOT NULL,
  project_id TEXT NOT NULL, -- '' in containers partitioned by tenant only
  id         TEXT NOT NULL,
  etag       TEXT NOT NULL,
  body       TEXT NOT NULL, -- the JSON document without _etag
  PRIMARY KEY (container, tenant_id, project_id, id)
);
CREATE INDEX IF NOT EXISTS store_documents_unsent_outbox ON store_documents (container)
  WHERE json_extract(body, '$.type') = 'outbox' AND json_extract(body, '$.sentAt') IS NULL;
`;

const KEY = 'container = ? AND tenant_id = ? AND project_id = ? AND id = ?';

type Row = { etag: string; body: string };

/**
 * The local `DocumentStore`: one SQLite table keyed by (container, tenantId, projectId, id) holding
 * each JSON document. WAL with synchronous=NORMAL; every write gets a fresh random `_etag`;
 * queries are keyset-paged within one partition; a batch is one SQLite transaction.
 */
export class SqliteDocumentStore implements DocumentStore {
  private readonly statements = new Map<string, Database.Statement>();

  /** Takes an open database (for example one shared with the local host) and creates the table. */
  constructor(
    private readonly db: Database.Database,
    private readonly location = db.name,
  ) {
    db.exec(SCHEMA);
  }

  /** Opens (creating when needed) `file` under `dataDir`. */
  static open(dataDir: string, file = 'store.sqlite'): SqliteDocumentStore {
    fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
    const location = path.join(dataDir, file);
    // Owner-only: SQLite gives its -wal and -shm files the database file's permissions.
    fs.closeSync(fs.openSync(location, 'a', 0o600));
    fs.chmodSync(location, 0o600);
    const db = new Database(location);
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma('busy_timeout = 5000');
    return new SqliteDocumentStore(db);
  }

  async read<T extends StoredDocument>(container: ContainerName, key: PartitionKey, id: string): Promise<Versioned<T> | undefined> {
    const row = this.statement(`SELECT etag, body FROM store_documents WHERE ${KEY}`).get(
      container, ...this.columns(toPartitionValues(container, key)), id,
    ) as Row | undefined;
    return row && toVersioned<T>(row);
  }

  async create<T extends StoredDocument>(container: ContainerName, document: T): Promise<Versioned<T>> {
    return this.apply(container, toPartitionValues(container, document), { op: 'create', document }) as Versioned<T>;
  }

  async upsert<T extends StoredDocument>(container: ContainerName, document: T): Promise<Versioned<T>> {
    return this.apply(container, toPartitionValues(container, document), { op: 'upsert', document }) as Versioned<T>;
  }

  async replace<T extends StoredDocument>(container: ContainerName, document: T, ifMatch?: string): Promise<Versioned<T>> {
    return this.apply(container, toPartitionValues(container, document), { op: 'replace', document, ifMatch }) as Versioned<T>;
  }

  async delete(container: ContainerName, key: PartitionKey, id: string, ifMatch?: string): Promise<void> {
    this.apply(container, toPartitionValues(container, key), { op: 'delete', id, ifMatch });
  }

  async query<T extends StoredDocument>(container: ContainerName, key: PartitionKey, spec: QuerySpec): Promise<Page<Versioned<T>>> {
    const plan = toSqliteQuery(spec);
    const where = ['container = ?', 'tenant_id = ?', 'project_id = ?', ...plan.conditions].join(' AND ');
    const sortColumns = plan.sortKey.map((e, i) => `${e} AS k${i}`).join(', ');
    const sql = `SELECT etag, body, ${sortColumns} FROM store_documents WHERE ${where} ORDER BY ${plan.orderBy} LIMIT ?`;
    const rows = this.statement(sql).all(
      container, ...this.columns(toPartitionValues(container, key)), ...plan.params, plan.fetch,
    ) as (Row & Record<string, unknown>)[];
    const items = rows.slice(0, plan.pageSize);
    const page: Page<Versioned<T>> = { items: items.map((r) => toVersioned<T>(r)) };
    if (rows.length > plan.pageSize) {
      const last = items[items.length - 1];
      page.continuation = toContinuation(spec.orderBy?.field ?? null, spec.orderBy?.direction === 'desc' ? 'desc' : 'asc',
        plan.sortKey.map((_, i) => last[`k${i}`]));
    }
    return page;
  }

  async batch(container: ContainerName, key: PartitionKey, operations: BatchOperation[]): Promise<void> {
    const partition = toPartitionValues(container, key);
    this.db.transaction(() => {
      operations.forEach((operation, index) => {
        try {
          this.apply(container, partition, operation);
        } catch (error) {
          if (error instanceof Error) error.message = `Batch operation ${index} (${operation.op}): ${error.message}`;
          throw error;
        }
      });
    })();
  }

  /**
   * Unsent outbox documents across all partitions, oldest first. Only the local store can afford a
   * cross-partition read; the outbox dispatcher uses it.
   */
  async pendingOutbox(limit: number): Promise<PendingOutboxDocument[]> {
    const rows = this.statement(
      `SELECT container, etag, body FROM store_documents
       WHERE json_extract(body, '$.type') = 'outbox' AND json_extract(body, '$.sentAt') IS NULL
       ORDER BY rowid LIMIT ?`,
    ).all(limit) as (Row & { container: ContainerName })[];
    return rows.map((r) => ({ container: r.container, document: toVersioned(r) }));
  }

  async check(): Promise<HealthCheck> {
    try {
      this.db.prepare('SELECT 1').get();
      return { name: 'store', adapter: 'sqlite', ok: true, detail: this.location };
    } catch (error) {
      return { name: 'store', adapter: 'sqlite', ok: false, detail: (error as Error).message };
    }
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }

  /** Applies one write within `partition`; returns the written document (undefined for delete). */
  private apply(container: ContainerName, partition: PartitionValues, operation: BatchOperation): Versioned<StoredDocument> | undefined {
    const [tenantId, projectId] = this.columns(partition);
    if (operation.op === 'delete') {
      assertDocumentId(operation.id);
      const key = [container, tenantId, projectId, operation.id];
      const { changes } = this.statement(`DELETE FROM store_documents WHERE ${KEY} AND (? IS NULL OR etag = ?)`).run(
        ...key, operation.ifMatch ?? null, operation.ifMatch ?? null,
      );
      if (changes === 0) this.throwMissOrConflict(key, operation.id);
      return undefined;
    }
    const document = operation.document;
    assertDocumentId(document.id);
    assertInPartition(container, partition, document);
    const key = [container, tenantId, projectId, document.id];
    const etag = randomUUID();
    const body = JSON.stringify(toDocumentBody(document));
    if (operation.op === 'create') {
      const { changes } = this.statement(
        'INSERT INTO store_documents (container, tenant_id, project_id, id, etag, body) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING',
      ).run(...key, etag, body);
      if (changes === 0) throw new StoreConflict(`'${document.id}' already exists in '${container}'.`);
    } else if (operation.op === 'upsert') {
      this.statement(
        `INSERT INTO store_documents (container, tenant_id, project_id, id, etag, body) VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT (container, tenant_id, project_id, id) DO UPDATE SET etag = excluded.etag, body = excluded.body`,
      ).run(...key, etag, body);
    } else {
      const { changes } = this.statement(`UPDATE store_documents SET etag = ?, body = ? WHERE ${KEY} AND (? IS NULL OR etag = ?)`).run(
        etag, body, ...key, operation.ifMatch ?? null, operation.ifMatch ?? null,
      );
      if (changes === 0) this.throwMissOrConflict(key, document.id);
    }
    return toVersioned({ etag, body });
  }

  private throwMissOrConflict(key: string[], id: string): never {
    const exists = this.statement(`SELECT 1 FROM store_documents WHERE ${KEY}`).get(...key);
    if (exists) throw new StoreConflict(`'${id}' was changed since it was read (ETag mismatch).`);
    throw new StoreNotFound(`'${id}' does not exist in '${key[0]}'.`);
  }

  private columns(partition: PartitionValues): [string, string] {
    return [partition[0], partition[1] ?? ''];
  }

  private statement(sql: string): Database.Statement {
    let statement = this.statements.get(sql);
    if (!statement) {
      statement = this.db.prepare(sql);
      this.statements.set(sql, statement);
    }
    return statement;
  }
}

function toVersioned<T extends StoredDocument>(row: Row): Versioned<T> {
  return { ...(JSON.parse(row.body) as T), _etag: row.etag };
}
