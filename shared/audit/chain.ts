import { createHmac, timingSafeEqual } from 'node:crypto';
import { canonicalJson } from '../platform/canonicalJson';
import type { AuditEntry } from './schemas';

/** The fields an entry's hash covers: everything but its own hash and storage metadata. */
export type HashedFields = Pick<AuditEntry, 'tenantId' | 'seq' | 'at' | 'eventId' | 'action' | 'subject' | 'actor' | 'source' | 'traceId' | 'data' | 'prevHash'>;

function mac(key: Buffer, label: string, value: unknown): string {
  return createHmac('sha256', key).update(`${label}\n`).update(canonicalJson(value)).digest('hex');
}

/**
 * An entry's hash: HMAC-SHA256 under the chain key over its fields (tenant and seq included), so
 * without the key nobody can re-hash an edited entry, forge one, or move one to another tenant or
 * position and keep it valid.
 */
export function hashOfEntry(key: Buffer, entry: HashedFields): string {
  const { tenantId, seq, at, eventId, action, subject, actor, source, traceId, data, prevHash } = entry;
  return mac(key, 'audit-entry', { tenantId, seq, at, eventId, action, subject, actor, source, traceId, data, prevHash });
}

/** The head's MAC binds the tip (seq and hash) to the tenant: a head moved back needs the key. */
export function macOfHead(key: Buffer, head: { tenantId: string; seq: number; hash: string }): string {
  return mac(key, 'audit-head', { tenantId: head.tenantId, seq: head.seq, hash: head.hash });
}

/** An event marker's MAC: the event id was appended at `seq` with entry hash `hash`. */
export function macOfMarker(key: Buffer, marker: { tenantId: string; eventId: string; seq: number; hash: string }): string {
  return mac(key, 'audit-marker', { tenantId: marker.tenantId, eventId: marker.eventId, seq: marker.seq, hash: marker.hash });
}

/** Constant-time comparison of two hex MACs. */
export function sameMac(a: string | undefined, b: string): boolean {
  if (typeof a !== 'string' || a.length !== b.length) return false;
  return timingSafeEqual(Buffer.from(a), Buffer.from(b));
}

/** Entry ids sort in chain order. */
export function entryId(seq: number): string {
  return `entry-${String(seq).padStart(12, '0')}`;
}
