import { randomUUID } from 'node:crypto';
import type { Statement } from 'better-sqlite3';
import type { Db } from '../db';
import type { BrokerMessage } from './contract';
import { encodeMessage, MessageRow, NewMessage, newMessageOf } from './codec';
import type { EntityDirectory } from './entities';
import { backoffMs, BrokerOptions } from './options';

export const MAX_DELIVERY_COUNT_EXCEEDED = 'MaxDeliveryCountExceeded';
export const TTL_EXPIRED = 'TTLExpiredException';

const DESCRIPTION_LIMIT = 4096;

const INSERT = `INSERT INTO sb_messages (entity, state, message_id, body, body_kind, content_type, correlation_id, subject,
  to_address, reply_to, session_id, properties, enqueued_at, scheduled_at, expires_at, visible_at)
  VALUES (@entity, 'active', @message_id, @body, @body_kind, @content_type, @correlation_id, @subject,
  @to_address, @reply_to, @session_id, @properties, @enqueued_at, @scheduled_at, @expires_at, @enqueued_at)`;
const SELECT_READY = `SELECT * FROM sb_messages WHERE entity = ? AND state = 'active' AND lock_token IS NULL AND visible_at <= ? ORDER BY seq LIMIT ?`;
const LOCK = 'UPDATE sb_messages SET lock_token = ?, locked_until = ?, delivery_count = delivery_count + 1 WHERE seq = ?';
const DELETE_LOCKED = 'DELETE FROM sb_messages WHERE seq = ? AND lock_token = ?';
const UNLOCK = 'UPDATE sb_messages SET lock_token = NULL, locked_until = NULL, visible_at = ? WHERE seq = ? AND lock_token = ?';
const DEAD_LETTER = `UPDATE sb_messages SET state = 'deadletter', lock_token = NULL, locked_until = NULL,
  dead_letter_reason = ?, dead_letter_description = ?, dead_lettered_at = ? WHERE seq = ?`;

/**
 * The write side of the broker: enqueue, peek-lock, complete, abandon, dead-letter. Every change
 * is one SQLite transaction, so a `kill -9` leaves each message either before or after it.
 */
export class MessageStore {
  private readonly statements = new Map<string, Statement>();

  constructor(
    private readonly db: Db,
    private readonly entities: EntityDirectory,
    private readonly options: BrokerOptions,
    private readonly warn: (message: string, fields: Record<string, unknown>) => void,
  ) {}

  /** A prepared statement, prepared once. */
  private sql(text: string): Statement {
    let statement = this.statements.get(text);
    if (!statement) this.statements.set(text, (statement = this.db.prepare(text)));
    return statement;
  }

  /**
   * Sends to a queue, or publishes to a topic (a copy per subscription, in the same
   * transaction). With `enqueueAt`, the message waits until then (on a topic, it is fanned out
   * then). Returns the sequence numbers written.
   */
  send(target: string, messages: BrokerMessage[], enqueueAt?: number): number[] {
    const encoded = messages.map(encodeMessage);
    const now = Date.now();
    return this.db.transaction(() => {
      const entity = this.entities.resolveTarget(target);
      if (entity.kind === 'topic' && enqueueAt === undefined) return encoded.flatMap((m) => this.fanOut(entity.name, m, now));
      return encoded.map((m) => this.write(entity.name, m, now, enqueueAt));
    })();
  }

  /** Publishes the topic's scheduled messages whose time has come. */
  promoteDueTopicMessages(now: number): number {
    const due = this.sql(`SELECT m.* FROM sb_messages m JOIN sb_entities e ON e.name = m.entity
        WHERE e.kind = 'topic' AND m.state = 'active' AND m.lock_token IS NULL AND m.visible_at <= ? ORDER BY m.seq`)
      .all(now) as MessageRow[];
    if (!due.length) return 0;
    this.db.transaction(() => {
      for (const row of due) {
        this.fanOut(row.entity, newMessageOf(row), now, row.scheduled_at ?? undefined);
        this.sql('DELETE FROM sb_messages WHERE seq = ?').run(row.seq);
      }
    })();
    return due.length;
  }

  /**
   * Peek-locks up to `limit` visible messages of `entity`, counting the delivery. Expired
   * messages met on the way are dead-lettered.
   */
  lock(entity: string, limit: number, now: number): MessageRow[] {
    return this.db.transaction(() => {
      for (;;) {
        const rows = this.sql(SELECT_READY).all(entity, now, limit) as MessageRow[];
        if (!rows.length) return [];
        const locked: MessageRow[] = [];
        for (const row of rows) {
          if (row.expires_at !== null && row.expires_at <= now) {
            this.sql(DEAD_LETTER).run(TTL_EXPIRED, 'The message expired before it was delivered.', now, row.seq);
            continue;
          }
          row.lock_token = randomUUID();
          row.locked_until = now + this.options.lockDurationMs;
          row.delivery_count += 1;
          this.sql(LOCK).run(row.lock_token, row.locked_until, row.seq);
          locked.push(row);
        }
        if (locked.length) return locked;
      }
    })();
  }

  /** The handler succeeded: the messages are gone. */
  complete(rows: MessageRow[]): void {
    this.db.transaction(() => {
      for (const row of rows) this.sql(DELETE_LOCKED).run(row.seq, row.lock_token);
    })();
  }

  /**
   * The handler failed: each message is visible again after a back-off, or dead-lettered once
   * its delivery count reached the entity's max delivery count. Returns how many were dead-lettered.
   */
  abandon(rows: MessageRow[], error: string, now: number): number {
    let deadLettered = 0;
    this.db.transaction(() => {
      for (const row of rows) {
        const current = this.sql('SELECT seq FROM sb_messages WHERE seq = ? AND lock_token = ?').get(row.seq, row.lock_token);
        if (!current) continue;
        if (row.delivery_count >= this.entities.maxDeliveryCount(row.entity)) {
          this.sql(DEAD_LETTER).run(MAX_DELIVERY_COUNT_EXCEEDED, error.slice(0, DESCRIPTION_LIMIT), now, row.seq);
          deadLettered++;
        } else {
          this.sql(UNLOCK).run(now + backoffMs(this.options, row.delivery_count), row.seq, row.lock_token);
        }
      }
    })();
    return deadLettered;
  }

  /** The message `seq` while `lockToken` still holds it, else undefined (completed, lost or expired lock). */
  lockedRow(entity: string, seq: number, lockToken: string): MessageRow | undefined {
    const row = this.sql('SELECT * FROM sb_messages WHERE seq = ? AND lock_token = ?').get(seq, lockToken) as MessageRow | undefined;
    return row && row.entity.toLowerCase() === entity.toLowerCase() ? row : undefined;
  }

  /** The receiver moved a locked message to the dead-letter queue itself (e.g. it does not match its schema). */
  deadLetter(row: MessageRow, reason: string, description: string, now: number): void {
    this.sql(DEAD_LETTER).run(reason.slice(0, 256), description.slice(0, DESCRIPTION_LIMIT), now, row.seq);
  }

  /**
   * Locks held past their `locked_until` on `entity` are released, as Service Bus does when a lock
   * expires: the message is delivered again (its delivery counted), or dead-lettered after the last.
   */
  releaseExpiredLocks(entity: string, now: number): number {
    const expired = this.sql('SELECT * FROM sb_messages WHERE entity = ? AND lock_token IS NOT NULL AND locked_until <= ?').all(entity, now) as MessageRow[];
    return expired.length ? this.abandon(expired, 'The lock expired before the receiver settled the message.', now) + expired.length : 0;
  }

  /**
   * Releases the locks a previous (dead) host process left: those messages are delivered again,
   * their interrupted delivery counted, as when a Service Bus lock expires.
   */
  releaseOrphanedLocks(now: number): { released: number; deadLettered: number } {
    const result = { released: 0, deadLettered: 0 };
    this.db.transaction(() => {
      const rows = this.sql('SELECT * FROM sb_messages WHERE lock_token IS NOT NULL').all() as MessageRow[];
      for (const row of rows) {
        if (row.delivery_count >= this.entities.maxDeliveryCount(row.entity)) {
          this.sql(DEAD_LETTER).run(MAX_DELIVERY_COUNT_EXCEEDED, 'The host stopped while the message was locked, on its last allowed delivery.', now, row.seq);
          result.deadLettered++;
        } else {
          this.sql(UNLOCK).run(Math.min(row.visible_at, now), row.seq, row.lock_token);
          result.released++;
        }
      }
    })();
    return result;
  }

  /** The earliest time after `now` at which a message becomes visible, if any. */
  nextVisibleAt(now: number): number | undefined {
    const row = this.sql(`SELECT MIN(visible_at) AS at FROM sb_messages WHERE state = 'active' AND lock_token IS NULL AND visible_at > ?`).get(now) as {
      at: number | null;
    };
    return row.at ?? undefined;
  }

  /** Deletes scheduled messages not enqueued yet; returns how many were cancelled. */
  cancelScheduled(target: string, sequenceNumbers: number[], now: number): number {
    const entity = this.entities.get(target);
    if (!entity) return 0;
    const cancel = this.sql(`DELETE FROM sb_messages WHERE seq = ? AND entity = ? AND state = 'active' AND lock_token IS NULL
      AND delivery_count = 0 AND scheduled_at IS NOT NULL AND visible_at > ?`);
    return this.db.transaction(() => sequenceNumbers.reduce((n, seq) => n + cancel.run(seq, entity.name, now).changes, 0))();
  }

  private write(entity: string, m: NewMessage, now: number, enqueueAt?: number, scheduledAt = enqueueAt): number {
    const enqueuedAt = Math.max(now, enqueueAt ?? now);
    const { ttl, ...columns } = m;
    const info = this.sql(INSERT).run({
      ...columns,
      entity,
      enqueued_at: enqueuedAt,
      scheduled_at: scheduledAt ?? null,
      expires_at: ttl === null ? null : enqueuedAt + ttl,
    });
    return Number(info.lastInsertRowid);
  }

  private fanOut(topic: string, m: NewMessage, now: number, scheduledAt?: number): number[] {
    const subscriptions = this.entities.subscriptionsOf(topic);
    if (!subscriptions.length) this.warn('message published to a topic without subscriptions was dropped', { topic, messageId: m.message_id });
    return subscriptions.map((s) => this.write(s.name, m, now, undefined, scheduledAt));
  }
}
