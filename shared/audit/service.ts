import { randomBytes } from 'node:crypto';
import type { EventSubscriber } from '../platform/eventSubscribers';
import { DocumentStore, Page, StoreConflict, type StoredDocument } from '../platform/ports';
import { toDocumentId } from '../platform/store/documentId';
import type { OutboxEvent } from '../platform/store/outboxDocument';
import { entryId, hashOfEntry, macOfHead, macOfMarker } from './chain';
import { signCheckpoint, type CheckpointWitness } from './checkpoint';
import { toAuditKeys, type AuditKeys } from './keys';
import { AuditCheckpoint, AuditEntry, AuditEventMarker, AuditHead, GENESIS_HASH, VerifyReport } from './schemas';
import { verifyTrail } from './verify';
import { TENANTS_CONTAINER } from '../tenancy/store';

const HEAD_ID = 'head';
const MAX_APPEND_ATTEMPTS = 50;
const PAGE = 500;

export interface AuditTrailOptions {
  /** Default: a random key for this instance only (in-process tests); the composition root passes the real one. */
  keys?: AuditKeys;
  /** Where checkpoints are kept outside the store; none: only given checkpoints are checked. */
  witness?: CheckpointWitness;
  now?: () => Date;
}

/**
 * The append-only, keyed hash chain of each tenant's audit trail (issue 9 §3). It consumes the
 * event stream like any other subscriber: every event becomes one entry, once per event id. Each
 * entry's hash is an HMAC over its fields and its predecessor's hash; the head and a per-event marker
 * are keyed too, and after each batch a signed checkpoint of the tip goes to the witness, outside
 * the store. Verification then detects an edited, re-hashed, forged, reordered or deleted entry and
 * a rewound or emptied chain.
 */
export class AuditTrail implements EventSubscriber {
  readonly name = 'audit-trail';
  private readonly keys: AuditKeys;
  private readonly now: () => Date;

  constructor(
    private readonly store: DocumentStore,
    private readonly options: AuditTrailOptions = {},
  ) {
    this.keys = options.keys ?? toAuditKeys(randomBytes(32));
    this.now = options.now ?? (() => new Date());
  }

  /** Appends each event (in order), then checkpoints each touched tenant's tip with the witness. */
  async consume(events: readonly OutboxEvent[]): Promise<void> {
    const tenants = new Set<string>();
    for (const event of events) {
      if ((await this.record(event)) === 'appended') tenants.add(String(event.tenantid));
    }
    if (this.options.witness) for (const tenantId of tenants) await this.options.witness.record(await this.checkpoint(tenantId));
  }

  async record(event: OutboxEvent): Promise<'appended' | 'duplicate'> {
    const tenantId = String(event.tenantid ?? '');
    if (!tenantId) return 'duplicate'; // platform-level events have no tenant chain
    const key = { tenantId };
    const markerId = toDocumentId('event', event.id);
    for (let attempt = 0; attempt < MAX_APPEND_ATTEMPTS; attempt++) {
      const head = await this.store.read<AuditHead>('audit', key, HEAD_ID);
      const seq = (head?.seq ?? 0) + 1;
      const fields = {
        tenantId,
        seq,
        at: String(event.time),
        eventId: event.id,
        action: event.type,
        subject: typeof event.subject === 'string' ? event.subject : null,
        actor: typeof event.actorid === 'string' ? event.actorid : null,
        source: event.source,
        traceId: typeof event.traceid === 'string' ? event.traceid : null,
        data: event.data ?? null,
        prevHash: head?.hash ?? GENESIS_HASH,
      };
      const hash = hashOfEntry(this.keys.chainKey, fields);
      const entry: AuditEntry = { id: entryId(seq), type: 'auditEntry', ...fields, hash };
      const nextHead: AuditHead = { id: HEAD_ID, tenantId, type: 'auditHead', seq, hash, mac: macOfHead(this.keys.chainKey, { tenantId, seq, hash }) };
      const marker: AuditEventMarker = { id: markerId, tenantId, type: 'auditEventMarker', eventId: event.id, seq, hash, mac: macOfMarker(this.keys.chainKey, { tenantId, eventId: event.id, seq, hash }) };
      try {
        await this.store.batch('audit', key, [
          { op: 'create', document: marker },
          { op: 'create', document: entry },
          head ? { op: 'replace', document: nextHead, ifMatch: head._etag } : { op: 'create', document: nextHead },
        ]);
        return 'appended';
      } catch (error) {
        if (!(error instanceof StoreConflict)) throw error;
        if (await this.store.read('audit', key, markerId)) return 'duplicate';
        await new Promise((r) => setTimeout(r, Math.min(2 ** attempt, 50)));
      }
    }
    throw new Error(`Could not append event ${event.id} to the audit trail of ${tenantId}: too much contention.`);
  }

  /** Entries in chain order, optionally within a time range. */
  async list(tenantId: string, range: { from?: string; to?: string; limit: number; continuation?: string; traceId?: string }): Promise<Page<AuditEntry>> {
    const where: { field: string; op: '=' | '>=' | '<='; value: string }[] = [{ field: 'type', op: '=', value: 'auditEntry' }];
    if (range.from) where.push({ field: 'at', op: '>=', value: range.from });
    if (range.to) where.push({ field: 'at', op: '<=', value: range.to });
    if (range.traceId) where.push({ field: 'traceId', op: '=', value: range.traceId });
    return this.store.query<AuditEntry>('audit', { tenantId }, { where, orderBy: { field: 'seq' }, limit: range.limit, continuation: range.continuation });
  }

  /** A signed checkpoint of the current tip (seq 0 and the genesis hash for an empty trail). */
  async checkpoint(tenantId: string): Promise<AuditCheckpoint> {
    const head = await this.store.read<AuditHead>('audit', { tenantId }, HEAD_ID);
    return signCheckpoint(this.keys, { tenantId, seq: head?.seq ?? 0, hash: head?.hash ?? GENESIS_HASH }, this.now());
  }

  /** The key that verifies checkpoints, as SPKI PEM. */
  publicKeyPem(): string {
    return this.keys.publicKey.export({ format: 'pem', type: 'spki' }).toString();
  }

  /** Verifies the whole trail, against the witness's checkpoint and `given` (one the tenant exported). */
  async verify(tenantId: string, given?: AuditCheckpoint): Promise<VerifyReport> {
    const key = { tenantId };
    const [entries, markers, head, witnessed, tenant] = await Promise.all([
      this.all<AuditEntry>(tenantId, 'auditEntry'),
      this.all<AuditEventMarker>(tenantId, 'auditEventMarker'),
      this.store.read<AuditHead>('audit', key, HEAD_ID),
      this.options.witness?.latest(tenantId),
      this.store.read<StoredDocument & { createdAt?: string }>(TENANTS_CONTAINER, key, tenantId),
    ]);
    const checkpoints = [...(given ? [{ checkpoint: given, source: 'given' as const }] : []), ...(witnessed ? [{ checkpoint: witnessed, source: 'witness' as const }] : [])];
    const tenantCreatedAt = tenant?.type === 'tenant' ? (tenant.createdAt ?? 'unknown') : undefined;
    return verifyTrail(this.keys, { tenantId, entries, head: head?.type === 'auditHead' ? head : undefined, markers, checkpoints, ...(tenantCreatedAt ? { tenantCreatedAt } : {}) });
  }

  private async all<T extends AuditEntry | AuditEventMarker>(tenantId: string, type: T['type']): Promise<T[]> {
    const out: T[] = [];
    let continuation: string | undefined;
    do {
      const page = await this.store.query<T>('audit', { tenantId }, { where: [{ field: 'type', op: '=', value: type }], limit: PAGE, continuation });
      out.push(...page.items);
      continuation = page.continuation;
    } while (continuation);
    return out;
  }
}
