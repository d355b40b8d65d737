import { canonicalJson, sha256Hex } from '../platform/canonicalJson';
import type { AuditEntry } from './schemas';

/** The fields an entry's hash covers: everything but its own hash and storage metadata. */
export function hashOfEntry(entry: Omit<AuditEntry, 'hash' | 'id' | 'type' | 'tenantId' | '_etag'> & Partial<AuditEntry>): string {
  const { seq, at, eventId, action, subject, actor, source, traceId, data, prevHash } = entry;
  return sha256Hex(canonicalJson({ seq, at, eventId, action, subject, actor, source, traceId, data, prevHash }));
}

/** Entry ids sort in chain order. */
export function entryId(seq: number): string {
  return `entry-${String(seq).padStart(12, '0')}`;
}
