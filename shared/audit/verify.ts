import { entryId, hashOfEntry, macOfHead, macOfMarker, sameMac } from './chain';
import { isSignedCheckpoint } from './checkpoint';
import type { AuditKeys } from './keys';
import { GENESIS_HASH, type AuditCheckpoint, type AuditEntry, type AuditEventMarker, type AuditHead, type VerifyReport } from './schemas';

type Reason = NonNullable<VerifyReport['firstBroken']>['reason'];

/** Everything verification reads about one tenant's trail. */
export interface TrailSnapshot {
  tenantId: string;
  /** Every entry document, in any order. */
  entries: AuditEntry[];
  head: AuditHead | undefined;
  markers: AuditEventMarker[];
  /** Checkpoints the chain must extend: one the caller gave, the witness's latest. */
  checkpoints: { checkpoint: AuditCheckpoint; source: 'given' | 'witness' }[];
  /**
   * When the tenant's record exists: its creation time. Creating a tenant records `TenantCreated.v1`,
   * so a recorded tenant's chain is never empty — an empty one was deleted (`truncated` at seq 1).
   */
  tenantCreatedAt?: string;
}

/**
 * Verifies a tenant's trail and names the first broken link: entries are walked in storage
 * position (id order, `entry-<seq>`), so an edit at seq 5 is reported at 5 (its keyed hash no
 * longer matches), an authentic entry moved elsewhere as `reordered`, and a gap as
 * `missing-entry`. Then the tip is checked against the keyed head, the per-event markers and the
 * signed checkpoints: entries any of them proves existed but that are gone are `truncated`, as is
 * the empty chain of a tenant whose record exists.
 */
export function verifyTrail(keys: AuditKeys, trail: TrailSnapshot): VerifyReport {
  const { tenantId } = trail;
  const headSeq = trail.head?.seq ?? 0;
  const entries = [...trail.entries].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const hashes: string[] = [GENESIS_HASH];
  const broken = (seq: number, reason: Reason, detail: string): VerifyReport => ({
    ok: false,
    checked: hashes.length - 1,
    headSeq,
    firstBroken: { seq, entryId: entryId(seq), reason, detail },
  });
  for (const [index, entry] of entries.entries()) {
    const position = index + 1;
    if (entry.id !== entryId(position)) return broken(position, 'missing-entry', `no entry at seq ${position}; the next stored is ${entry.id}`);
    if (!sameMac(entry.hash, hashOfEntry(keys.chainKey, { ...entry, tenantId }))) return broken(position, 'hash-mismatch', 'the entry does not match its keyed hash: edited, re-hashed or forged');
    if (entry.seq !== position) return broken(position, 'reordered', `the authentic entry of seq ${entry.seq} is stored at seq ${position}`);
    if (entry.prevHash !== hashes[position - 1]) return broken(position, 'broken-link', 'the entry does not point to the hash of its predecessor');
    hashes.push(entry.hash);
  }
  const length = entries.length;
  const head = trail.head;
  const headKeyed = !!head && sameMac(head.mac, macOfHead(keys.chainKey, { tenantId, seq: head.seq, hash: head.hash }));
  const truncated = provenLength(keys, trail, headKeyed);
  if (truncated && truncated.seq > length) {
    const report = broken(length + 1, 'truncated', `${truncated.by} proves ${truncated.seq} entries; ${length} are stored`);
    return truncated.source ? { ...report, checkpoint: { seq: truncated.seq, source: truncated.source, extended: false } } : report;
  }
  if (length === 0 && trail.tenantCreatedAt) return broken(1, 'truncated', `the tenant exists (created ${trail.tenantCreatedAt}) and its creation was recorded, but no entries are stored`);
  if (head && !headKeyed) return broken(Math.min(head.seq, length + 1), 'head-mismatch', 'the head is not keyed: it was written without the key');
  if ((head?.seq ?? 0) !== length || (head && head.hash !== hashes[length])) return broken(Math.max(1, head?.seq ?? 1), 'head-mismatch', `the head (seq ${head?.seq ?? 0}) is not the tip of the chain (seq ${length})`);
  return checkCheckpoints(keys, trail, hashes, broken) ?? { ok: true, checked: length, headSeq, ...furthest(keys, trail, length) };
}

/** The longest chain any keyed evidence proves existed: the head, an event marker, a signed checkpoint. */
type Proof = { seq: number; by: string; source?: 'given' | 'witness' };

function provenLength(keys: AuditKeys, trail: TrailSnapshot, headKeyed: boolean): Proof | undefined {
  const { tenantId } = trail;
  const proofs: Proof[] = [];
  if (trail.head && headKeyed) proofs.push({ seq: trail.head.seq, by: 'the keyed head' });
  for (const m of trail.markers) {
    if (sameMac(m.mac, macOfMarker(keys.chainKey, { tenantId, eventId: m.eventId, seq: m.seq, hash: m.hash }))) proofs.push({ seq: m.seq, by: `the marker of event ${m.eventId}` });
  }
  for (const { checkpoint, source } of trail.checkpoints) {
    if (checkpoint.tenantId === tenantId && isSignedCheckpoint(keys, checkpoint)) proofs.push({ seq: checkpoint.seq, by: `the ${source} checkpoint signed ${checkpoint.at}`, source });
  }
  return proofs.sort((a, b) => b.seq - a.seq)[0];
}

function checkCheckpoints(keys: AuditKeys, trail: TrailSnapshot, hashes: string[], broken: (seq: number, reason: Reason, detail: string) => VerifyReport): VerifyReport | undefined {
  const length = hashes.length - 1;
  for (const { checkpoint, source } of trail.checkpoints) {
    if (checkpoint.tenantId !== trail.tenantId || !isSignedCheckpoint(keys, checkpoint)) {
      if (source === 'given') return { ...broken(Math.max(1, checkpoint.seq), 'bad-checkpoint', 'the checkpoint is not signed by this trail for this tenant'), checked: 0 };
      continue;
    }
    if (checkpoint.seq > length) return withCheckpoint(broken(length + 1, 'truncated', `a ${source} checkpoint proves ${checkpoint.seq} entries (signed ${checkpoint.at}); ${length} are stored`), checkpoint, source);
    if (hashes[checkpoint.seq] !== checkpoint.hash) return withCheckpoint(broken(Math.max(1, checkpoint.seq), 'checkpoint-mismatch', `the chain no longer extends the ${source} checkpoint at seq ${checkpoint.seq}`), checkpoint, source);
  }
  return undefined;
}

function withCheckpoint(report: VerifyReport, checkpoint: AuditCheckpoint, source: 'given' | 'witness'): VerifyReport {
  return { ...report, checkpoint: { seq: checkpoint.seq, source, extended: false } };
}

function furthest(keys: AuditKeys, trail: TrailSnapshot, length: number): Pick<VerifyReport, 'checkpoint'> {
  const best = trail.checkpoints.filter((c) => c.checkpoint.seq <= length && c.checkpoint.tenantId === trail.tenantId && isSignedCheckpoint(keys, c.checkpoint)).sort((a, b) => b.checkpoint.seq - a.checkpoint.seq)[0];
  return best ? { checkpoint: { seq: best.checkpoint.seq, source: best.source, extended: true } } : {};
}
