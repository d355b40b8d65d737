import { createHash, randomBytes, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { FileCheckpointWitness } from '../../shared/audit/checkpoint';
import { entryId } from '../../shared/audit/chain';
import { toAuditKeys } from '../../shared/audit/keys';
import type { AuditCheckpoint, AuditEntry, AuditHead } from '../../shared/audit/schemas';
import { AuditTrail } from '../../shared/audit/service';
import { canonicalJson } from '../../shared/platform/canonicalJson';
import { createEvent } from '../../shared/platform/events/createEvent';
import type { OutboxEvent } from '../../shared/platform/store/outboxDocument';
import { SqliteDocumentStore } from '../../shared/platform/store';

const TENANT = 'acme';
const KEY = { tenantId: TENANT };
const ENTRIES = 10;

/** A trail of ten entries on its own store and witness; the attacker below writes the store directly. */
async function trailOfTen(options: { witness?: boolean } = {}) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'audit-tamper-'));
  const store = SqliteDocumentStore.open(dir);
  const keys = toAuditKeys(randomBytes(32));
  const trail = new AuditTrail(store, { keys, witness: options.witness === false ? undefined : new FileCheckpointWitness(dir) });
  const events: OutboxEvent[] = [];
  for (let i = 1; i <= ENTRIES; i++) {
    events.push(createEvent('ProjectCreated.v1', { projectId: `p${i}`, name: `Project ${i}` }, { tenantId: TENANT, traceId: '0af7651916cd43dd8448eb211c80319c', id: randomUUID() }) as OutboxEvent);
  }
  await trail.consume(events.slice(0, 4));
  const early = await trail.checkpoint(TENANT);
  await trail.consume(events.slice(4));
  const entry = async (seq: number) => (await store.read<AuditEntry>('audit', KEY, entryId(seq)))!;
  const head = async () => (await store.read<AuditHead>('audit', KEY, 'head'))!;
  const put = async (doc: Record<string, unknown>) => {
    const { _etag, ...rest } = doc;
    await store.upsert('audit', { ...(rest as { id: string; type: string }), tenantId: TENANT });
  };
  const remove = async (id: string) => store.delete('audit', KEY, id);
  const cleanup = async () => {
    await store.close();
    fs.rmSync(dir, { recursive: true, force: true });
  };
  return { store, trail, events, early, entry, head, put, remove, cleanup, dir };
}

/** What someone with store access but without the key computes: the old, unkeyed SHA-256 chain hash. */
const unkeyedHash = (e: AuditEntry) => {
  const { seq, at, eventId, action, subject, actor, source, traceId, data, prevHash } = e;
  return createHash('sha256').update(canonicalJson({ seq, at, eventId, action, subject, actor, source, traceId, data, prevHash })).digest('hex');
};

describe('audit trail tamper evidence', () => {
  let t: Awaited<ReturnType<typeof trailOfTen>>;
  afterEach(async () => t?.cleanup());

  it('verifies an intact trail against the witness and a checkpoint exported earlier', async () => {
    t = await trailOfTen();
    expect(await t.trail.verify(TENANT)).toEqual({ ok: true, checked: 10, headSeq: 10, checkpoint: { seq: 10, source: 'witness', extended: true } });
    expect(await t.trail.verify(TENANT, t.early)).toMatchObject({ ok: true, checked: 10 });
    expect(t.early).toMatchObject({ tenantId: TENANT, seq: 4 });
  });

  it('(a) names an edited entry at its own seq, re-hashed or not', async () => {
    t = await trailOfTen();
    const fifth = await t.entry(5);
    await t.put({ ...fifth, data: { projectId: 'p5', name: 'Quietly renamed' } });
    expect(await t.trail.verify(TENANT)).toMatchObject({ ok: false, checked: 4, firstBroken: { seq: 5, entryId: entryId(5), reason: 'hash-mismatch' } });
    const edited = { ...fifth, data: { projectId: 'p5', name: 'Renamed and re-hashed' } };
    await t.put({ ...edited, hash: unkeyedHash(edited) });
    expect((await t.trail.verify(TENANT)).firstBroken).toMatchObject({ seq: 5, reason: 'hash-mismatch' });
  });

  it('(b) detects deleting the last entries and moving the head back', async () => {
    t = await trailOfTen();
    const eighth = await t.entry(8);
    for (const seq of [9, 10]) await t.remove(entryId(seq));
    await t.put({ ...(await t.head()), seq: 8, hash: eighth.hash });
    expect((await t.trail.verify(TENANT)).firstBroken).toMatchObject({ seq: 9, reason: 'truncated' });
  });

  it('(b) detects it with a replayed old head and the markers gone, from the witnessed checkpoint', async () => {
    t = await trailOfTen();
    const markers = await t.store.query<{ id: string; tenantId: string; type: string; seq: number }>('audit', KEY, { where: [{ field: 'type', op: '=', value: 'auditEventMarker' }], limit: 100 });
    for (const marker of markers.items.filter((m) => m.seq > 8)) await t.remove(marker.id);
    for (const seq of [9, 10]) await t.remove(entryId(seq));
    const eighth = await t.entry(8);
    await t.put({ ...(await t.head()), seq: 8, hash: eighth.hash });
    const report = await t.trail.verify(TENANT);
    expect(report.firstBroken).toMatchObject({ seq: 9, reason: 'truncated' });
    expect(report.firstBroken?.detail).toContain('witness checkpoint');
  });

  it('(c) detects deleting everything, from the witness or from a checkpoint the tenant kept', async () => {
    t = await trailOfTen();
    const all = await t.store.query<{ id: string; tenantId: string; type: string }>('audit', KEY, { limit: 100 });
    for (const doc of all.items) await t.remove(doc.id);
    expect((await t.trail.verify(TENANT)).firstBroken).toMatchObject({ seq: 1, reason: 'truncated' });

    await t.cleanup();
    t = await trailOfTen({ witness: false });
    const kept = await t.trail.checkpoint(TENANT);
    for (const doc of (await t.store.query<{ id: string; tenantId: string; type: string }>('audit', KEY, { limit: 100 })).items) await t.remove(doc.id);
    // The tenant's record remains (it is not the audit trail's to delete): its chain cannot be empty.
    await t.store.upsert('tenants', { id: TENANT, tenantId: TENANT, type: 'tenant', name: 'Acme', createdAt: '2026-01-01T00:00:00.000Z' });
    expect(await t.trail.verify(TENANT)).toMatchObject({ ok: false, checked: 0, firstBroken: { seq: 1, reason: 'truncated' } });
    expect(await t.trail.verify(TENANT, kept)).toMatchObject({ ok: false, firstBroken: { seq: 1, reason: 'truncated' }, checkpoint: { seq: 10, source: 'given', extended: false } });
  });

  it('(d) names the first rewritten entry even when every later one is re-hashed and the head moved', async () => {
    t = await trailOfTen();
    let previous = (await t.entry(3)).hash;
    for (let seq = 4; seq <= ENTRIES; seq++) {
      const original = await t.entry(seq);
      const rewritten = { ...original, prevHash: previous, ...(seq === 4 ? { actor: 'apikey:someone-else' } : {}) };
      const hash = unkeyedHash(rewritten);
      await t.put({ ...rewritten, hash });
      previous = hash;
    }
    await t.put({ ...(await t.head()), hash: previous });
    expect((await t.trail.verify(TENANT)).firstBroken).toMatchObject({ seq: 4, reason: 'hash-mismatch' });
  });

  it('(e) detects an appended forged entry', async () => {
    t = await trailOfTen();
    const tenth = await t.entry(10);
    const forged = { ...tenth, id: entryId(11), seq: 11, eventId: randomUUID(), action: 'ApprovalDecided.v1', data: { decision: 'approved' }, prevHash: tenth.hash };
    await t.put({ ...forged, hash: unkeyedHash(forged) });
    await t.put({ ...(await t.head()), seq: 11, hash: unkeyedHash(forged) });
    expect((await t.trail.verify(TENANT)).firstBroken).toMatchObject({ seq: 11, reason: 'hash-mismatch' });
  });

  it('(f) names a reorder as a reorder', async () => {
    t = await trailOfTen();
    const [fourth, fifth] = [await t.entry(4), await t.entry(5)];
    await t.put({ ...fifth, id: entryId(4) });
    await t.put({ ...fourth, id: entryId(5) });
    expect((await t.trail.verify(TENANT)).firstBroken).toMatchObject({ seq: 4, reason: 'reordered' });
  });

  it('refuses a checkpoint that is forged or from another tenant', async () => {
    t = await trailOfTen();
    const forged: AuditCheckpoint = { ...t.early, seq: 3 };
    expect((await t.trail.verify(TENANT, forged)).firstBroken).toMatchObject({ reason: 'bad-checkpoint' });
    expect((await t.trail.verify('other', t.early)).firstBroken).toMatchObject({ reason: 'bad-checkpoint' });
  });

  it('appends each event once, however often it is delivered', async () => {
    t = await trailOfTen();
    await t.trail.consume([t.events[2], t.events[9], t.events[2]]);
    expect(await t.trail.verify(TENANT)).toMatchObject({ ok: true, checked: 10, headSeq: 10 });
  });
});
