import Database from 'better-sqlite3';
import { createPublicKey, verify } from 'node:crypto';
import path from 'node:path';
import { eventually } from '../support/hostProcess';
import { FactoryApp, startFactoryApp } from '../support/factoryApp';

interface AuditEntryView {
  seq: number;
  action: string;
  actor: string | null;
  hash: string;
  prevHash: string;
  at: string;
}

describe('audit trail', () => {
  let app: FactoryApp;
  beforeAll(async () => {
    app = await startFactoryApp();
    expect((await app.call('POST', 'tenants', { body: { tenantId: 'audited', name: 'Audited Inc', edition: 'pro' } })).status).toBe(201);
    for (const projectId of ['one', 'two', 'three']) {
      expect((await app.call('POST', 'tenants/audited/projects', { body: { projectId, name: `Project ${projectId}` } })).status).toBe(201);
    }
  });
  afterAll(() => app?.stop());

  const entries = async (query = '') => (await app.call<{ items: AuditEntryView[]; continuation?: string }>('GET', `tenants/audited/audit${query}`)).body;

  it('records every state change as a chained entry, in order, with its actor', async () => {
    const page = await eventually(async () => {
      const p = await entries();
      return p.items.length >= 4 ? p : undefined;
    });
    expect(page.items.map((e) => e.action)).toEqual(['TenantCreated.v1', 'ProjectCreated.v1', 'ProjectCreated.v1', 'ProjectCreated.v1']);
    expect(page.items.map((e) => e.seq)).toEqual([1, 2, 3, 4]);
    for (let i = 1; i < page.items.length; i++) expect(page.items[i].prevHash).toBe(page.items[i - 1].hash);
    expect(page.items[0].actor).toBe('apikey:_platform.bootstrap');
  });

  it('pages by continuation and filters by time range', async () => {
    const first = await entries('?limit=3');
    expect(first.items).toHaveLength(3);
    const rest = await entries(`?limit=3&continuation=${encodeURIComponent(first.continuation!)}`);
    expect(rest.items.map((e) => e.seq)).toEqual([4]);
    const future = await entries(`?from=${encodeURIComponent(new Date(Date.now() + 3600_000).toISOString())}`);
    expect(future.items).toHaveLength(0);
  });

  it('verifies an intact chain', async () => {
    const report = await app.call('GET', 'tenants/audited/audit/verify');
    expect(report.status).toBe(200);
    expect(report.body).toMatchObject({ ok: true, checked: 4, headSeq: 4 });
  });

  let kept: Record<string, unknown>;
  it('exports a signed checkpoint that verifies offline and that the trail still extends', async () => {
    const res = await app.call<{ seq: number; hash: string; tenantId: string; at: string; keyId: string; signature: string; publicKey: string }>('GET', 'tenants/audited/audit/checkpoint');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ tenantId: 'audited', seq: 4 });
    const { publicKey, signature, ...signed } = res.body;
    const text = JSON.stringify({ at: signed.at, hash: signed.hash, keyId: signed.keyId, seq: signed.seq, tenantId: signed.tenantId });
    expect(verify(null, Buffer.from(text), createPublicKey(publicKey), Buffer.from(signature, 'base64url'))).toBe(true);
    kept = { ...signed, signature };
    const report = await app.call('POST', 'tenants/audited/audit/verify', { body: { checkpoint: kept } });
    expect(report.status).toBe(200);
    expect(report.body).toMatchObject({ ok: true, checked: 4, checkpoint: { seq: 4, extended: true } });
    expect((await app.call('POST', 'tenants/audited/audit/verify', { body: { checkpoint: { ...kept, seq: 2 } } })).body).toMatchObject({ ok: false, firstBroken: { reason: 'bad-checkpoint' } });
    expect((await app.call('POST', 'tenants/audited/audit/verify', { body: { checkpoint: { seq: 'x' } } })).status).toBe(400);
  });

  it('names exactly the entry that was altered in storage', async () => {
    const db = new Database(path.join(app.host.dataDir, 'store.sqlite'));
    try {
      const changed = db
        .prepare(`UPDATE store_documents SET body = json_set(body, '$.data.name', 'Quietly Renamed') WHERE container = 'audit' AND tenant_id = 'audited' AND id = ?`)
        .run('entry-000000000003');
      expect(changed.changes).toBe(1);
    } finally {
      db.close();
    }
    const report = await app.call('GET', 'tenants/audited/audit/verify');
    expect(report.body).toMatchObject({ ok: false, checked: 2, firstBroken: { seq: 3, entryId: 'entry-000000000003', reason: 'hash-mismatch' } });
  });

  it('detects a trail deleted outright in storage, from the checkpoint witnessed outside the store', async () => {
    const db = new Database(path.join(app.host.dataDir, 'store.sqlite'));
    try {
      expect(db.prepare(`DELETE FROM store_documents WHERE container = 'audit' AND tenant_id = 'audited'`).run().changes).toBeGreaterThan(4);
    } finally {
      db.close();
    }
    const report = await app.call('GET', 'tenants/audited/audit/verify');
    expect(report.body).toMatchObject({ ok: false, checked: 0, firstBroken: { seq: 1, reason: 'truncated' } });
    expect((await app.call('POST', 'tenants/audited/audit/verify', { body: { checkpoint: kept } })).body).toMatchObject({ ok: false, firstBroken: { seq: 1, reason: 'truncated' } });
  });

  it('is not readable from another tenant', async () => {
    expect((await app.call('POST', 'tenants', { body: { tenantId: 'other', name: 'Other', edition: 'free' } })).status).toBe(201);
    const key = await app.call<{ secret: string }>('POST', 'tenants/other/keys', { body: { name: 'viewer', roles: ['TenantAdmin'] } });
    expect(key.status).toBe(201);
    expect((await app.call('GET', 'tenants/audited/audit', { key: key.body.secret })).status).toBe(404);
    expect((await app.call('GET', 'tenants/audited/audit/verify', { key: key.body.secret })).status).toBe(404);
  });
});
