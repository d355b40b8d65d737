import type { Statement } from 'better-sqlite3';
import type { Db } from '../db';
import type { HistoryEvent } from './history';
import { TERMINAL } from './records';
import { WriteBatch } from './writeBatch';
import type { EpisodeCommit, InboxRow, InstanceRow, ListFilter, NewInbox, RuntimeStatus, WorkRow } from './records';

export { TERMINAL } from './records';
export type { EpisodeCommit, InboxMessage, InboxRow, InstanceRow, ListFilter, NewInbox, NewWork, RetryState, RuntimeStatus, WorkRow } from './records';

const SCHEMA = `
CREATE TABLE IF NOT EXISTS df_instances (
  instance_id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  execution_id TEXT NOT NULL,
  status TEXT NOT NULL,
  input TEXT,
  output TEXT,
  custom_status TEXT,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  parent_instance_id TEXT,
  parent_seq INTEGER,
  parent_execution_id TEXT,
  trace_parent TEXT,
  next_seq INTEGER NOT NULL DEFAULT 0,
  action_seqs TEXT NOT NULL DEFAULT '[]',
  retries TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX IF NOT EXISTS df_instances_created ON df_instances(created_at, instance_id);
CREATE TABLE IF NOT EXISTS df_history (
  instance_id TEXT NOT NULL,
  idx INTEGER NOT NULL,
  event TEXT NOT NULL,
  PRIMARY KEY (instance_id, idx)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS df_inbox (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  instance_id TEXT NOT NULL,
  execution_id TEXT,
  visible_at INTEGER NOT NULL,
  message TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS df_inbox_instance ON df_inbox(instance_id, id);
CREATE INDEX IF NOT EXISTS df_inbox_visible ON df_inbox(visible_at);
CREATE TABLE IF NOT EXISTS df_work (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  instance_id TEXT NOT NULL,
  execution_id TEXT NOT NULL,
  seq INTEGER NOT NULL,
  name TEXT NOT NULL,
  input TEXT,
  trace_parent TEXT
);
CREATE INDEX IF NOT EXISTS df_work_instance ON df_work(instance_id);
`;

interface RawInstance {
  instance_id: string;
  name: string;
  execution_id: string;
  status: RuntimeStatus;
  input: string | null;
  output: string | null;
  custom_status: string | null;
  created_at: string;
  updated_at: string;
  parent_instance_id: string | null;
  parent_seq: number | null;
  parent_execution_id: string | null;
  trace_parent: string | null;
  next_seq: number;
  action_seqs: string;
  retries: string;
}

function fromRawInstance(r: RawInstance): InstanceRow {
  return {
    instanceId: r.instance_id,
    name: r.name,
    executionId: r.execution_id,
    status: r.status,
    input: r.input,
    output: r.output,
    customStatus: r.custom_status,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    parentInstanceId: r.parent_instance_id,
    parentSeq: r.parent_seq,
    parentExecutionId: r.parent_execution_id,
    traceParent: r.trace_parent,
    nextSeq: r.next_seq,
    actionSeqs: JSON.parse(r.action_seqs),
    retries: JSON.parse(r.retries),
  };
}

function toParams(i: InstanceRow) {
  return {
    instance_id: i.instanceId,
    name: i.name,
    execution_id: i.executionId,
    status: i.status,
    input: i.input,
    output: i.output,
    custom_status: i.customStatus,
    created_at: i.createdAt,
    updated_at: i.updatedAt,
    parent_instance_id: i.parentInstanceId,
    parent_seq: i.parentSeq,
    parent_execution_id: i.parentExecutionId,
    trace_parent: i.traceParent,
    next_seq: i.nextSeq,
    action_seqs: JSON.stringify(i.actionSeqs),
    retries: JSON.stringify(i.retries),
  };
}

/** SQLite persistence of durable instances, their history, inboxes and activity work items. */
export class DurableStore {
  private readonly s;
  private readonly tx;
  /** The batch that orchestrator steps and activity outcomes are committed in (one transaction per turn). */
  readonly writes: WriteBatch;
  /**
   * Prepared list queries by SQL text: a client polling the instance list (as the bench and status
   * pages do) paid a `prepare` per request. The filters combine into at most 2^5 × |statuses| texts.
   */
  private readonly listStatements = new Map<string, Statement>();

  constructor(private readonly db: Db) {
    db.exec(SCHEMA);
    const cols = 'instance_id, name, execution_id, status, input, output, custom_status, created_at, updated_at, parent_instance_id, parent_seq, parent_execution_id, trace_parent, next_seq, action_seqs, retries';
    const vals = cols.split(', ').map((c) => '@' + c).join(', ');
    this.s = {
      getInstance: db.prepare(`SELECT * FROM df_instances WHERE instance_id = ?`),
      upsertInstance: db.prepare(`INSERT INTO df_instances (${cols}) VALUES (${vals}) ON CONFLICT(instance_id) DO UPDATE SET ${cols.split(', ').slice(1).map((c) => `${c} = excluded.${c}`).join(', ')}`),
      history: db.prepare(`SELECT event FROM df_history WHERE instance_id = ? ORDER BY idx`),
      appendHistory: db.prepare(`INSERT INTO df_history (instance_id, idx, event) VALUES (?, ?, ?)`),
      clearHistory: db.prepare(`DELETE FROM df_history WHERE instance_id = ?`),
      inboxFor: db.prepare(`SELECT * FROM df_inbox WHERE instance_id = ? AND visible_at <= ? ORDER BY id`),
      hasInbox: db.prepare(`SELECT 1 FROM df_inbox WHERE instance_id = ? AND visible_at <= ? LIMIT 1`),
      insertInbox: db.prepare(`INSERT INTO df_inbox (instance_id, execution_id, visible_at, message) VALUES (?, ?, ?, ?)`),
      deleteInbox: db.prepare(`DELETE FROM df_inbox WHERE id = ?`),
      clearInbox: db.prepare(`DELETE FROM df_inbox WHERE instance_id = ?`),
      clearExecutionInbox: db.prepare(`DELETE FROM df_inbox WHERE instance_id = ? AND execution_id = ?`),
      clearExecutionWork: db.prepare(`DELETE FROM df_work WHERE instance_id = ? AND execution_id = ?`),
      readyInstances: db.prepare(`SELECT DISTINCT instance_id FROM df_inbox WHERE visible_at <= ?`),
      nextVisible: db.prepare(`SELECT MIN(visible_at) AS at FROM df_inbox WHERE visible_at > ?`),
      deleteTimer: db.prepare(`DELETE FROM df_inbox WHERE instance_id = ? AND execution_id = ? AND json_extract(message, '$.event.TimerId') = ? AND json_extract(message, '$.event.EventType') = 11`),
      insertWork: db.prepare(`INSERT INTO df_work (instance_id, execution_id, seq, name, input, trace_parent) VALUES (@instanceId, @executionId, @seq, @name, @input, @traceParent)`),
      allWork: db.prepare(`SELECT id, instance_id AS instanceId, execution_id AS executionId, seq, name, input, trace_parent AS traceParent FROM df_work ORDER BY id`),
      deleteWork: db.prepare(`DELETE FROM df_work WHERE id = ?`),
      clearWork: db.prepare(`DELETE FROM df_work WHERE instance_id = ?`),
      deleteInstance: db.prepare(`DELETE FROM df_instances WHERE instance_id = ?`),
    };
    // Transaction functions are built once: better-sqlite3 wraps each in BEGIN/COMMIT (a SAVEPOINT when nested).
    this.tx = {
      commitEpisode: db.transaction((c: EpisodeCommit) => this.writeEpisode(c)),
      completeWork: db.transaction((workId: number, completion: NewInbox) => this.writeCompletion(workId, completion)),
    };
    this.writes = new WriteBatch(db);
  }

  getInstance(instanceId: string): InstanceRow | undefined {
    const raw = this.s.getInstance.get(instanceId) as RawInstance | undefined;
    return raw && fromRawInstance(raw);
  }

  history(instanceId: string): HistoryEvent[] {
    return (this.s.history.all(instanceId) as { event: string }[]).map((r) => JSON.parse(r.event));
  }

  visibleInbox(instanceId: string, now: number): InboxRow[] {
    return (this.s.inboxFor.all(instanceId, now) as { id: number; instance_id: string; execution_id: string | null; visible_at: number; message: string }[]).map((r) => ({
      id: r.id,
      instanceId: r.instance_id,
      executionId: r.execution_id,
      visibleAt: r.visible_at,
      message: JSON.parse(r.message),
    }));
  }

  hasVisibleInbox(instanceId: string, now: number): boolean {
    return this.s.hasInbox.get(instanceId, now) !== undefined;
  }

  readyInstances(now: number): string[] {
    return (this.s.readyInstances.all(now) as { instance_id: string }[]).map((r) => r.instance_id);
  }

  nextVisibleAfter(now: number): number | undefined {
    const row = this.s.nextVisible.get(now) as { at: number | null };
    return row.at ?? undefined;
  }

  pendingWork(): WorkRow[] {
    return this.s.allWork.all() as WorkRow[];
  }

  /** Creates an instance and its start message; false when the id is taken by a live instance. */
  createInstance(instance: InstanceRow, visibleAt: number): boolean {
    return this.db.transaction(() => {
      const existing = this.getInstance(instance.instanceId);
      if (existing && !TERMINAL.has(existing.status)) return false;
      if (existing) {
        this.s.clearHistory.run(instance.instanceId);
        this.s.clearInbox.run(instance.instanceId);
        this.s.clearWork.run(instance.instanceId);
      }
      this.s.upsertInstance.run(toParams(instance));
      this.s.insertInbox.run(instance.instanceId, instance.executionId, visibleAt, JSON.stringify({ kind: 'start' }));
      return true;
    })();
  }

  discardInbox(ids: number[]): void {
    this.db.transaction(() => {
      for (const id of ids) this.s.deleteInbox.run(id);
    })();
  }

  enqueue(rows: NewInbox[]): void {
    this.db.transaction(() => {
      for (const r of rows) this.s.insertInbox.run(r.instanceId, r.executionId, r.visibleAt, JSON.stringify(r.message));
    })();
  }

  /** Commits one orchestrator step; returns the work items it created. */
  commitEpisode(c: EpisodeCommit): WorkRow[] {
    return this.tx.commitEpisode(c);
  }

  private writeEpisode(c: EpisodeCommit): WorkRow[] {
    this.s.upsertInstance.run(toParams(c.instance));
    if (c.resetHistory) this.s.clearHistory.run(c.instance.instanceId);
    let idx = c.historyOffset;
    for (const e of c.appendHistory) this.s.appendHistory.run(c.instance.instanceId, idx++, JSON.stringify(e));
    for (const id of c.consumedInbox) this.s.deleteInbox.run(id);
    if (c.clearExecution) {
      this.s.clearExecutionInbox.run(c.instance.instanceId, c.clearExecution);
      this.s.clearExecutionWork.run(c.instance.instanceId, c.clearExecution);
    }
    for (const seq of c.cancelTimers) this.s.deleteTimer.run(c.instance.instanceId, c.instance.executionId, seq);
    for (const child of c.newInstances) {
      this.s.clearHistory.run(child.instanceId);
      this.s.clearInbox.run(child.instanceId);
      this.s.clearWork.run(child.instanceId);
      this.s.upsertInstance.run(toParams(child));
    }
    for (const r of c.inbox) this.s.insertInbox.run(r.instanceId, r.executionId, r.visibleAt, JSON.stringify(r.message));
    return c.work.map((w) => ({ ...w, id: Number(this.s.insertWork.run(w).lastInsertRowid) }));
  }

  /** Records an activity's outcome: the work item goes and its completion enters the inbox, atomically. */
  completeWork(workId: number, completion: NewInbox): boolean {
    return this.tx.completeWork(workId, completion);
  }

  /**
   * `commitEpisode` in the shared batch: the steps and activity outcomes of all instances that are
   * ready within one turn of the event loop commit in one transaction. Resolves (with the work items
   * created) once committed; rejects, with nothing of this step stored, when its write failed.
   */
  commitEpisodeSoon(c: EpisodeCommit): Promise<WorkRow[]> {
    return this.writes.submit(() => this.writeEpisode(c));
  }

  /**
   * `completeWork` in the shared batch. Resolves once committed, false when the work item was gone.
   * Nothing outside waits on an activity's outcome, so a crash before the commit only makes the
   * activity run again, as a crash during it would.
   */
  completeWorkSoon(workId: number, completion: NewInbox): Promise<boolean> {
    return this.writes.submit(() => this.writeCompletion(workId, completion));
  }

  private writeCompletion(workId: number, completion: NewInbox): boolean {
    if (this.s.deleteWork.run(workId).changes === 0) return false;
    this.s.insertInbox.run(completion.instanceId, completion.executionId, completion.visibleAt, JSON.stringify(completion.message));
    return true;
  }

  list(filter: ListFilter): InstanceRow[] {
    const where: string[] = [];
    const params: unknown[] = [];
    if (filter.createdFrom) {
      where.push('created_at >= ?');
      params.push(filter.createdFrom);
    }
    if (filter.createdTo) {
      where.push('created_at <= ?');
      params.push(filter.createdTo);
    }
    if (filter.statuses?.length) {
      where.push(`status IN (${filter.statuses.map(() => '?').join(', ')})`);
      params.push(...filter.statuses);
    }
    if (filter.instanceIdPrefix) {
      where.push('instance_id >= ? AND instance_id < ?');
      params.push(filter.instanceIdPrefix, filter.instanceIdPrefix + '\uffff');
    }
    if (filter.after) {
      where.push('(created_at > ? OR (created_at = ? AND instance_id > ?))');
      params.push(filter.after.createdAt, filter.after.createdAt, filter.after.instanceId);
    }
    const sql = `SELECT * FROM df_instances ${where.length ? 'WHERE ' + where.join(' AND ') : ''} ORDER BY created_at, instance_id LIMIT ?`;
    let statement = this.listStatements.get(sql);
    if (!statement) this.listStatements.set(sql, (statement = this.db.prepare(sql)));
    return (statement.all(...params, filter.top) as RawInstance[]).map(fromRawInstance);
  }

  purge(instanceId: string): boolean {
    return this.db.transaction(() => {
      const deleted = this.s.deleteInstance.run(instanceId).changes > 0;
      this.s.clearHistory.run(instanceId);
      this.s.clearInbox.run(instanceId);
      this.s.clearWork.run(instanceId);
      return deleted;
    })();
  }
}
