import type { OutboxEvent } from '../platform/store/outboxDocument';
import { DocumentStore, Page, StoreConflict } from '../platform/ports';
import { entryId, hashOfEntry } from './chain';
import { AuditEntry, AuditHead, GENESIS_HASH, VerifyReport } from './schemas';

const HEAD_ID = 'head';
const MAX_APPEND_ATTEMPTS = 50;

/**
 * The append-only, hash-chained audit trail of each tenant. Entries are appended from the events
 * every state change emits (through the outbox), once per event id; each holds its predecessor's
 * hash, so rewriting any entry breaks the chain at that entry.
 */
export class AuditTrail {
  constructor(private readonly store: DocumentStore) {}

  async record(event: OutboxEvent): Promise<'appended' | 'duplicate'> {
    const tenantId = String(event.tenantid ?? '');
    if (!tenantId) return 'duplicate'; // platform-level events have no tenant chain
    const key = { tenantId };
    for (let attempt = 0; attempt < MAX_APPEND_ATTEMPTS; attempt++) {
      const head = await this.store.read<AuditHead>('audit', key, HEAD_ID);
      const seq = (head?.seq ?? 0) + 1;
      const base = {
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
      const entry: AuditEntry = { id: entryId(seq), tenantId, type: 'auditEntry', ...base, hash: hashOfEntry(base) };
      const nextHead: AuditHead = { id: HEAD_ID, tenantId, type: 'auditHead', seq, hash: entry.hash };
      try {
        await this.store.batch('audit', key, [
          { op: 'create', document: { id: `event-${event.id}`, tenantId, type: 'auditEventMarker', seq } },
          { op: 'create', document: entry },
          head ? { op: 'replace', document: nextHead, ifMatch: head._etag } : { op: 'create', document: nextHead },
        ]);
        return 'appended';
      } catch (error) {
        if (!(error instanceof StoreConflict)) throw error;
        if (await this.store.read('audit', key, `event-${event.id}`)) return 'duplicate';
        await new Promise((r) => setTimeout(r, Math.min(2 ** attempt, 50)));
      }
    }
    throw new Error(`Could not append event ${event.id} to the audit trail of ${tenantId}: too much contention.`);
  }

  /** Entries in chain order, optionally within a time range. */
  async list(tenantId: string, range: { from?: string; to?: string; limit: number; continuation?: string }): Promise<Page<AuditEntry>> {
    const where: { field: string; op: '=' | '>=' | '<='; value: string }[] = [{ field: 'type', op: '=', value: 'auditEntry' }];
    if (range.from) where.push({ field: 'at', op: '>=', value: range.from });
    if (range.to) where.push({ field: 'at', op: '<=', value: range.to });
    return this.store.query<AuditEntry>('audit', { tenantId }, { where, orderBy: { field: 'seq' }, limit: range.limit, continuation: range.continuation });
  }

  /** Recomputes the chain from its first entry and names the first broken link. */
  async verify(tenantId: string): Promise<VerifyReport> {
    const head = await this.store.read<AuditHead>('audit', { tenantId }, HEAD_ID);
    let previous = GENESIS_HASH;
    let expectedSeq = 1;
    let continuation: string | undefined;
    do {
      const page = await this.store.query<AuditEntry>('audit', { tenantId }, { where: [{ field: 'type', op: '=', value: 'auditEntry' }], orderBy: { field: 'seq' }, limit: 500, continuation });
      for (const entry of page.items) {
        const broken = (reason: NonNullable<VerifyReport['firstBroken']>['reason']): VerifyReport => ({
          ok: false,
          checked: expectedSeq - 1,
          headSeq: head?.seq ?? 0,
          firstBroken: { seq: expectedSeq, entryId: entry.id, reason },
        });
        if (entry.seq !== expectedSeq || entry.id !== entryId(expectedSeq)) {
          return { ok: false, checked: expectedSeq - 1, headSeq: head?.seq ?? 0, firstBroken: { seq: expectedSeq, entryId: entryId(expectedSeq), reason: 'missing-entry' } };
        }
        if (entry.prevHash !== previous) return broken('broken-link');
        if (hashOfEntry(entry) !== entry.hash) return broken('hash-mismatch');
        previous = entry.hash;
        expectedSeq++;
      }
      continuation = page.continuation;
    } while (continuation);
    const checked = expectedSeq - 1;
    if ((head?.seq ?? 0) !== checked || (head && head.hash !== previous)) {
      return { ok: false, checked, headSeq: head?.seq ?? 0, firstBroken: { seq: checked + 1, entryId: entryId(checked + 1), reason: head && head.seq > checked ? 'missing-entry' : 'head-mismatch' } };
    }
    return { ok: true, checked, headSeq: head?.seq ?? 0 };
  }
}
