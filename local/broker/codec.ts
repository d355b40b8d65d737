import { randomUUID } from 'node:crypto';
import type { RpcTypedData } from '../core/types';
import type { BrokerMessage } from './contract';
import { BrokerError } from './entities';

export type BodyKind = 'string' | 'json' | 'bytes';

/** One row of `sb_messages`. */
export interface MessageRow {
  seq: number;
  entity: string;
  state: 'active' | 'deadletter';
  message_id: string;
  body: string | Buffer | null;
  body_kind: BodyKind;
  content_type: string | null;
  correlation_id: string | null;
  subject: string | null;
  to_address: string | null;
  reply_to: string | null;
  session_id: string | null;
  properties: string;
  enqueued_at: number;
  scheduled_at: number | null;
  expires_at: number | null;
  visible_at: number;
  delivery_count: number;
  lock_token: string | null;
  locked_until: number | null;
  dead_letter_reason: string | null;
  dead_letter_description: string | null;
  dead_lettered_at: number | null;
}

/** The columns a new message row is inserted with. */
export type NewMessage = Pick<
  MessageRow,
  'message_id' | 'body' | 'body_kind' | 'content_type' | 'correlation_id' | 'subject' | 'to_address' | 'reply_to' | 'session_id' | 'properties'
> & { ttl: number | null };

const optionalString = (value: unknown, field: string): string | null => {
  if (value === undefined || value === null) return null;
  if (typeof value !== 'string') throw new BrokerError(400, `Message field ${field} must be a string.`);
  return value;
};

/** Checks a message and turns it into row columns. */
export function encodeMessage(message: BrokerMessage): NewMessage {
  if (!message || typeof message !== 'object' || !('body' in message)) throw new BrokerError(400, 'A message is an object with a body.');
  const body = message.body;
  const encoded: Pick<MessageRow, 'body' | 'body_kind'> =
    typeof body === 'string'
      ? { body, body_kind: 'string' }
      : Buffer.isBuffer(body) || body instanceof Uint8Array
        ? { body: Buffer.from(body), body_kind: 'bytes' }
        : { body: JSON.stringify(body ?? null), body_kind: 'json' };
  const props = message.applicationProperties ?? {};
  if (typeof props !== 'object' || Array.isArray(props)) throw new BrokerError(400, 'applicationProperties must be an object.');
  const ttl = message.timeToLive;
  if (ttl !== undefined && ttl !== null && !(typeof ttl === 'number' && ttl > 0)) throw new BrokerError(400, 'timeToLive must be a positive number of milliseconds.');
  return {
    ...encoded,
    message_id: optionalString(message.messageId, 'messageId') ?? randomUUID().replace(/-/g, ''),
    content_type: optionalString(message.contentType, 'contentType'),
    correlation_id: optionalString(message.correlationId, 'correlationId'),
    subject: optionalString(message.subject, 'subject'),
    to_address: optionalString(message.to, 'to'),
    reply_to: optionalString(message.replyTo, 'replyTo'),
    session_id: optionalString(message.sessionId, 'sessionId'),
    properties: JSON.stringify(props),
    ttl: ttl ?? null,
  };
}

/** The columns to copy when a stored message is written again (fan-out, resubmit). */
export function newMessageOf(row: MessageRow): NewMessage {
  return {
    message_id: row.message_id,
    body: row.body,
    body_kind: row.body_kind,
    content_type: row.content_type,
    correlation_id: row.correlation_id,
    subject: row.subject,
    to_address: row.to_address,
    reply_to: row.reply_to,
    session_id: row.session_id,
    properties: row.properties,
    ttl: row.expires_at === null ? null : row.expires_at - row.enqueued_at,
  };
}

/** The body as the Functions host hands it to the worker: text (JSON-parsed by the library) or bytes. */
export function bodyTypedData(row: MessageRow): RpcTypedData {
  if (row.body_kind === 'bytes') return { bytes: row.body as Buffer };
  return { string: String(row.body ?? '') };
}

/** The body as a JS value: a string, the parsed JSON, or a Buffer. */
export function bodyValue(row: MessageRow): unknown {
  if (row.body_kind === 'bytes') return Buffer.from(row.body as Buffer);
  if (row.body_kind === 'json') return JSON.parse(String(row.body));
  return String(row.body ?? '');
}

/** A string body that holds JSON is parsed, as the library does with string trigger data. */
export function parsedBody(row: MessageRow): unknown {
  const value = bodyValue(row);
  if (typeof value !== 'string') return value;
  try {
    return JSON.parse(value);
  } catch {
    return value;
  }
}

export function applicationProperties(row: MessageRow): Record<string, unknown> {
  return JSON.parse(row.properties) as Record<string, unknown>;
}

/** The message as the admin routes show it. */
export function messageView(row: MessageRow, now = Date.now()) {
  const iso = (ms: number | null) => (ms === null ? undefined : new Date(ms).toISOString());
  const value = bodyValue(row);
  return {
    sequenceNumber: row.seq,
    entity: row.entity,
    state:
      row.state === 'deadletter'
        ? 'deadLettered'
        : row.lock_token
          ? 'locked'
          : row.scheduled_at !== null && row.scheduled_at > now
            ? 'scheduled'
            : 'active',
    messageId: row.message_id,
    body: Buffer.isBuffer(value) ? value.toString('base64') : value,
    bodyEncoding: Buffer.isBuffer(value) ? 'base64' : undefined,
    contentType: row.content_type ?? undefined,
    correlationId: row.correlation_id ?? undefined,
    subject: row.subject ?? undefined,
    to: row.to_address ?? undefined,
    replyTo: row.reply_to ?? undefined,
    sessionId: row.session_id ?? undefined,
    applicationProperties: applicationProperties(row),
    deliveryCount: row.delivery_count,
    enqueuedTimeUtc: iso(row.enqueued_at),
    scheduledEnqueueTimeUtc: row.scheduled_at !== null && row.scheduled_at > now ? iso(row.scheduled_at) : undefined,
    expiresAtUtc: iso(row.expires_at),
    lockedUntilUtc: iso(row.locked_until),
    deadLetterReason: row.dead_letter_reason ?? undefined,
    deadLetterErrorDescription: row.dead_letter_description ?? undefined,
    deadLetteredAtUtc: iso(row.dead_lettered_at),
  };
}
