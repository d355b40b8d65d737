import Database from 'better-sqlite3';
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

  it('is not readable from another tenant', async () => {
    expect((await app.call('POST', 'tenants', { body: { tenantId: 'other', name: 'Other', edition: 'free' } })).status).toBe(201);
    const key = await app.call<{ secret: string }>('POST', 'tenants/other/keys', { body: { name: 'viewer', roles: ['TenantAdmin'] } });
    expect(key.status).toBe(201);
    expect((await app.call('GET', 'tenants/audited/audit', { key: key.body.secret })).status).toBe(404);
    expect((await app.call('GET', 'tenants/audited/audit/verify', { key: key.body.secret })).status).toBe(404);
  });
});
