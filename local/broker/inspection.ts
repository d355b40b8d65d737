import type { Db } from '../db';
import { MessageRow, messageView, newMessageOf } from './codec';
import { BrokerError, EntityDirectory, EntityRow } from './entities';

/** One entity with its message counts, as `GET /admin/servicebus/entities` lists it. */
export interface EntitySummary {
  name: string;
  kind: EntityRow['kind'];
  topic?: string;
  maxDeliveryCount: number;
  /** Deliverable now or after a back-off, including locked ones. */
  active: number;
  /** Locked by a running handler. */
  locked: number;
  /** Waiting for their scheduled enqueue time. */
  scheduled: number;
  deadLetter: number;
}

/** The read side of the broker (counts, peek, dead letters) and dead-letter resubmission. */
export class BrokerInspector {
  constructor(
    private readonly db: Db,
    private readonly entities: EntityDirectory,
  ) {}

  summaries(now = Date.now()): EntitySummary[] {
    const counts = this.db
      .prepare(
        `SELECT entity,
          SUM(state = 'active' AND NOT (scheduled_at IS NOT NULL AND scheduled_at > @now)) AS active,
          SUM(state = 'active' AND lock_token IS NOT NULL) AS locked,
          SUM(state = 'active' AND scheduled_at IS NOT NULL AND scheduled_at > @now) AS scheduled,
          SUM(state = 'deadletter') AS deadLetter
        FROM sb_messages GROUP BY entity COLLATE NOCASE`,
      )
      .all({ now }) as { entity: string; active: number; locked: number; scheduled: number; deadLetter: number }[];
    const byName = new Map(counts.map((c) => [c.entity.toLowerCase(), c]));
    return this.entities.list().map((e) => {
      const c = byName.get(e.name.toLowerCase());
      return {
        name: e.name,
        kind: e.kind,
        topic: e.topic ?? undefined,
        maxDeliveryCount: this.entities.maxDeliveryCount(e.name),
        active: c?.active ?? 0,
        locked: c?.locked ?? 0,
        scheduled: c?.scheduled ?? 0,
        deadLetter: c?.deadLetter ?? 0,
      };
    });
  }

  /** Active and scheduled messages in sequence order, without locking them. */
  peek(entity: string, limit: number, fromSequenceNumber = 0): ReturnType<typeof messageView>[] {
    return this.rows(entity, 'active', limit, fromSequenceNumber).map((row) => messageView(row));
  }

  deadLetters(entity: string, limit: number, fromSequenceNumber = 0): ReturnType<typeof messageView>[] {
    return this.rows(entity, 'deadletter', limit, fromSequenceNumber).map((row) => messageView(row));
  }

  /**
   * Moves a dead-lettered message back to its entity as a fresh message (new sequence number,
   * delivery count 0, same message id, body and properties). Returns the new sequence number.
   */
  resubmit(entity: string, sequenceNumber: number, now = Date.now()): number {
    const name = this.require(entity).name;
    return this.db.transaction(() => {
      const row = this.db.prepare(`SELECT * FROM sb_messages WHERE seq = ? AND entity = ? AND state = 'deadletter'`).get(sequenceNumber, name) as
        | MessageRow
        | undefined;
      if (!row) throw new BrokerError(404, `No dead-lettered message ${sequenceNumber} in "${name}".`);
      const { ttl, ...columns } = newMessageOf(row);
      const info = this.db
        .prepare(
          `INSERT INTO sb_messages (entity, state, message_id, body, body_kind, content_type, correlation_id, subject,
            to_address, reply_to, session_id, properties, enqueued_at, expires_at, visible_at)
          VALUES (@entity, 'active', @message_id, @body, @body_kind, @content_type, @correlation_id, @subject,
            @to_address, @reply_to, @session_id, @properties, @now, @expires_at, @now)`,
        )
        .run({ ...columns, entity: name, now, expires_at: ttl === null ? null : now + ttl });
      this.db.prepare('DELETE FROM sb_messages WHERE seq = ?').run(row.seq);
      return Number(info.lastInsertRowid);
    })();
  }

  require(entity: string): EntityRow {
    const row = this.entities.get(entity);
    if (!row) throw new BrokerError(404, `No Service Bus entity "${entity}".`);
    return row;
  }

  private rows(entity: string, state: MessageRow['state'], limit: number, from: number): MessageRow[] {
    const name = this.require(entity).name;
    return this.db.prepare('SELECT * FROM sb_messages WHERE entity = ? AND state = ? AND seq >= ? ORDER BY seq LIMIT ?').all(name, state, from, limit) as MessageRow[];
  }
}
