import { FactoryApp, startFactoryApp } from '../support/factoryApp';
import { eventually } from '../support/hostProcess';

interface Problem {
  status: number;
  code: string;
  errors?: { path: string; message: string }[];
}

interface Key {
  keyId: string;
  tenantId: string;
  name: string;
  roles: string[];
  secret?: string;
}

describe('identity', () => {
  let app: FactoryApp;
  let initechAdmin: Key;
  let umbrellaAdmin: Key;

  const createKey = async (tenantId: string, body: unknown, key?: string) => app.call<Key & Problem>('POST', `tenants/${tenantId}/keys`, { key, body });

  beforeAll(async () => {
    app = await startFactoryApp();
    for (const tenantId of ['initech', 'umbrella']) {
      expect((await app.call('POST', 'tenants', { body: { tenantId, name: tenantId, edition: 'pro' } })).status).toBe(201);
    }
    initechAdmin = (await createKey('initech', { name: 'admin', roles: ['TenantAdmin'] })).body;
    umbrellaAdmin = (await createKey('umbrella', { name: 'admin', roles: ['TenantAdmin'] })).body;
  });
  afterAll(() => app?.stop());

  it('returns the secret once, and lists keys without secrets or hashes', async () => {
    const created = await createKey('initech', { name: 'ci', roles: ['Developer', 'Viewer'] }, initechAdmin.secret);
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ tenantId: 'initech', name: 'ci', roles: ['Developer', 'Viewer'] });
    expect(created.body.secret).toMatch(/^sf_initech\./);
    const list = await app.call<{ items: Record<string, unknown>[] }>('GET', 'tenants/initech/keys', { key: initechAdmin.secret });
    expect(list.status).toBe(200);
    expect(list.body.items.map((k) => k.name)).toEqual(['admin', 'ci']);
    for (const item of list.body.items) {
      expect(Object.keys(item).sort()).toEqual(['createdAt', 'keyId', 'name', 'roles', 'tenantId']);
    }
    expect(JSON.stringify(list.body)).not.toContain(created.body.secret!);
  });

  it('pages the list with limit and continuation', async () => {
    const first = await app.call<{ items: Key[]; continuation?: string }>('GET', 'tenants/initech/keys?limit=1', { key: initechAdmin.secret });
    expect(first.body.items).toHaveLength(1);
    expect(first.body.continuation).toBeDefined();
    const second = await app.call<{ items: Key[] }>('GET', `tenants/initech/keys?limit=1&continuation=${encodeURIComponent(first.body.continuation!)}`, { key: initechAdmin.secret });
    expect(second.body.items).toHaveLength(1);
    expect(second.body.items[0].keyId).not.toBe(first.body.items[0].keyId);
    const bad = await app.call<Problem>('GET', 'tenants/initech/keys?limit=0&continuation=garbage', { key: initechAdmin.secret });
    expect(bad.status).toBe(400);
    expect(bad.body.errors!.map((e) => e.path)).toEqual(['query.limit']);
    const forged = await app.call<Problem>('GET', 'tenants/initech/keys?continuation=garbage', { key: initechAdmin.secret });
    expect(forged.status).toBe(400);
    expect(forged.body.errors!.map((e) => e.path)).toEqual(['query.continuation']);
  });

  it('tells a principal who it is', async () => {
    const viewer = await createKey('initech', { name: 'dashboard', roles: ['Viewer'] });
    const me = await app.call('GET', 'tenants/initech/me', { key: viewer.body.secret });
    expect(me.status).toBe(200);
    expect(me.body).toEqual({ id: `apikey:${viewer.body.keyId}`, tenantId: 'initech', roles: ['Viewer'], kind: 'apiKey', name: 'dashboard' });
    expect((await app.call('GET', 'tenants/umbrella/me', { key: viewer.body.secret })).status).toBe(404);
    expect((await app.call('GET', 'tenants/initech/me', { key: '' })).status).toBe(401);
  });

  it('refuses PlatformAdmin grants and invalid keys, with paths', async () => {
    const grant = await createKey('initech', { name: 'escalate', roles: ['TenantAdmin', 'PlatformAdmin'] }, initechAdmin.secret);
    expect(grant.status).toBe(400);
    expect(grant.body.errors!.map((e) => e.path)).toEqual(['body.roles[1]']);
    const invalid = await createKey('initech', { name: '', roles: [], expiresAt: 'soon' }, initechAdmin.secret);
    expect(invalid.status).toBe(400);
    expect(invalid.body.errors!.map((e) => e.path).sort()).toEqual(['body.expiresAt', 'body.name', 'body.roles']);
    const past = await createKey('initech', { name: 'old', roles: ['Viewer'], expiresAt: '2020-01-01T00:00:00Z' }, initechAdmin.secret);
    expect(past.status).toBe(400);
    expect(past.body.errors).toEqual([{ path: 'body.expiresAt', message: 'must be in the future' }]);
  });

  it('lets only a TenantAdmin manage keys', async () => {
    const developer = await createKey('initech', { name: 'dev', roles: ['Developer', 'Architect'] });
    expect((await createKey('initech', { name: 'more', roles: ['Developer'] }, developer.body.secret)).status).toBe(403);
    expect((await app.call('GET', 'tenants/initech/keys', { key: developer.body.secret })).status).toBe(403);
    expect((await app.call('DELETE', `tenants/initech/keys/${developer.body.keyId}`, { key: developer.body.secret })).status).toBe(403);
    expect((await createKey('initech', { name: 'anon', roles: ['Viewer'] }, '')).status).toBe(401);
  });

  it("answers 404 for another tenant's keys and for tenants that do not exist", async () => {
    expect((await app.call('GET', 'tenants/umbrella/keys', { key: initechAdmin.secret })).status).toBe(404);
    expect((await createKey('umbrella', { name: 'x', roles: ['Viewer'] }, initechAdmin.secret)).status).toBe(404);
    expect((await app.call('DELETE', `tenants/umbrella/keys/${umbrellaAdmin.keyId}`, { key: initechAdmin.secret })).status).toBe(404);
    // Even through its own tenant's route, another tenant's key id is not found.
    expect((await app.call('DELETE', `tenants/initech/keys/${umbrellaAdmin.keyId}`, { key: initechAdmin.secret })).status).toBe(404);
    expect((await app.call('GET', 'tenants/umbrella/keys', { key: umbrellaAdmin.secret })).status).toBe(200);
    expect((await createKey('ghost', { name: 'x', roles: ['Viewer'] })).status).toBe(404);
    expect((await app.call('GET', 'tenants/ghost/keys')).status).toBe(404);
  });

  it('revokes a key: 204, then it no longer authenticates', async () => {
    const doomed = await createKey('initech', { name: 'doomed', roles: ['Viewer'] }, initechAdmin.secret);
    expect((await app.call('GET', 'tenants/initech/me', { key: doomed.body.secret })).status).toBe(200);
    const revoked = await app.call('DELETE', `tenants/initech/keys/${doomed.body.keyId}`, { key: initechAdmin.secret });
    expect(revoked.status).toBe(204);
    expect((await app.call('GET', 'tenants/initech/me', { key: doomed.body.secret })).status).toBe(401);
    expect((await app.call('DELETE', `tenants/initech/keys/${doomed.body.keyId}`, { key: initechAdmin.secret })).status).toBe(204);
    const listed = await app.call<{ items: (Key & { revokedAt?: string })[] }>('GET', 'tenants/initech/keys', { key: initechAdmin.secret });
    expect(listed.body.items.find((k) => k.keyId === doomed.body.keyId)!.revokedAt).toBeDefined();
    expect((await app.call('DELETE', 'tenants/initech/keys/initech.0123456789abcdef', { key: initechAdmin.secret })).status).toBe(404);
    expect((await app.call<Problem>('DELETE', 'tenants/initech/keys/not-a-key-id', { key: initechAdmin.secret })).body.errors![0].path).toBe('params.keyId');
  });

  it('audits key creation and revocation (once), never the secret', async () => {
    const audit = await eventually(async () => {
      const res = await app.call<{ items: { action: string; subject: string; data: unknown }[] }>('GET', 'tenants/initech/audit', { key: initechAdmin.secret });
      return res.body.items.some((e) => e.action === 'ApiKeyRevoked.v1') ? res.body.items : undefined;
    });
    const actions = audit.map((e) => e.action);
    expect(actions[0]).toBe('TenantCreated.v1');
    expect(actions.filter((a) => a === 'ApiKeyCreated.v1')).toHaveLength(5);
    expect(actions.filter((a) => a === 'ApiKeyRevoked.v1')).toHaveLength(1);
    const created = audit.find((e) => e.action === 'ApiKeyCreated.v1')!;
    expect(created.subject).toBe(`keys/${initechAdmin.keyId}`);
    expect(created.data).toEqual({ keyId: initechAdmin.keyId, name: 'admin', roles: ['TenantAdmin'] });
    expect(JSON.stringify(audit)).not.toContain(initechAdmin.secret);
  });
});
