import type { Db } from '../db';

/**
 * Creates the broker's tables. A message row lives in one entity (a queue, a topic subscription,
 * or a topic while it is scheduled and not yet fanned out) and is either `active` (deliverable
 * from `visible_at`, unless a lock token says a handler holds it) or `deadletter`.
 */
export function migrateBroker(db: Db): void {
  db.exec(`
    CREATE TABLE IF NOT EXISTS sb_entities (
      name TEXT PRIMARY KEY COLLATE NOCASE,
      kind TEXT NOT NULL CHECK (kind IN ('queue', 'topic', 'subscription')),
      topic TEXT COLLATE NOCASE,
      max_delivery_count INTEGER,
      created_at INTEGER NOT NULL
    );
    CREATE TABLE IF NOT EXISTS sb_messages (
      seq INTEGER PRIMARY KEY AUTOINCREMENT,
      entity TEXT NOT NULL COLLATE NOCASE,
      state TEXT NOT NULL CHECK (state IN ('active', 'deadletter')),
      message_id TEXT NOT NULL,
      body BLOB,
      body_kind TEXT NOT NULL CHECK (body_kind IN ('string', 'json', 'bytes')),
      content_type TEXT,
      correlation_id TEXT,
      subject TEXT,
      to_address TEXT,
      reply_to TEXT,
      session_id TEXT,
      properties TEXT NOT NULL DEFAULT '{}',
      enqueued_at INTEGER NOT NULL,
      scheduled_at INTEGER,
      expires_at INTEGER,
      visible_at INTEGER NOT NULL,
      delivery_count INTEGER NOT NULL DEFAULT 0,
      lock_token TEXT,
      locked_until INTEGER,
      dead_letter_reason TEXT,
      dead_letter_description TEXT,
      dead_lettered_at INTEGER
    );
    CREATE INDEX IF NOT EXISTS sb_messages_ready ON sb_messages (entity, state, visible_at);
    CREATE INDEX IF NOT EXISTS sb_messages_due ON sb_messages (visible_at) WHERE state = 'active' AND lock_token IS NULL;
    CREATE INDEX IF NOT EXISTS sb_messages_locked ON sb_messages (lock_token) WHERE lock_token IS NOT NULL;
  `);
}
