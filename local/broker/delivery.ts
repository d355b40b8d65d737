import type { InvocationInput } from '../core/invoker';
import type { RpcTypedData } from '../core/types';
import { applicationProperties, bodyTypedData, MessageRow, parsedBody } from './codec';

const iso = (ms: number | null) => (ms === null ? undefined : new Date(ms).toISOString());
/** Far future, as Service Bus reports a message that never expires. */
const NEVER = Date.UTC(9999, 11, 31, 23, 59, 59, 999);

/** The Service Bus binding data the Functions host passes for one message, PascalCase. */
function fieldsOf(row: MessageRow): Record<string, unknown> {
  const props = applicationProperties(row);
  return {
    MessageId: row.message_id,
    DeliveryCount: row.delivery_count,
    EnqueuedTimeUtc: iso(row.enqueued_at),
    ExpiresAtUtc: iso(row.expires_at ?? NEVER),
    LockedUntil: iso(row.locked_until),
    SequenceNumber: row.seq,
    ContentType: row.content_type ?? undefined,
    CorrelationId: row.correlation_id ?? undefined,
    Subject: row.subject ?? undefined,
    Label: row.subject ?? undefined,
    To: row.to_address ?? undefined,
    ReplyTo: row.reply_to ?? undefined,
    SessionId: row.session_id ?? undefined,
    ApplicationProperties: props,
    UserProperties: props,
    LockToken: row.lock_token ?? undefined,
  };
}

function typed(value: unknown): RpcTypedData {
  if (typeof value === 'string') return { string: value };
  if (typeof value === 'number' && Number.isInteger(value)) return { int: value };
  return { json: JSON.stringify(value) };
}

/** The W3C trace context the sender attached, if any (`traceparent`, or `Diagnostic-Id` as the SDK sets it). */
export function traceParentOf(row: MessageRow): string | undefined {
  const props = applicationProperties(row);
  const value = props.traceparent ?? props.traceParent ?? props['Diagnostic-Id'];
  return typeof value === 'string' ? value : undefined;
}

/**
 * The invocation input for one message (`cardinality: 'one'`: the body as text or bytes, the
 * metadata per message) or a batch (`'many'`: a JSON array of bodies, metadata as `…Array`).
 */
export function invocationInput(rows: MessageRow[], many: boolean): InvocationInput {
  const traceParent = rows.map(traceParentOf).find(Boolean);
  if (!many) {
    const triggerMetadata: Record<string, RpcTypedData> = {};
    for (const [key, value] of Object.entries(fieldsOf(rows[0]))) if (value !== undefined) triggerMetadata[key] = typed(value);
    return { triggerData: bodyTypedData(rows[0]), triggerMetadata, traceParent };
  }
  const all = rows.map(fieldsOf);
  const triggerMetadata: Record<string, RpcTypedData> = {};
  for (const key of Object.keys(all[0])) triggerMetadata[`${key}Array`] = { json: JSON.stringify(all.map((f) => f[key] ?? null)) };
  const bodies = rows.map((row) => {
    const body = parsedBody(row);
    return Buffer.isBuffer(body) ? body.toString('base64') : body;
  });
  return { triggerData: { json: JSON.stringify(bodies) }, triggerMetadata, traceParent };
}
