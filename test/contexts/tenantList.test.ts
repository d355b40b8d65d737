import { FactoryApp, startFactoryApp } from '../support/factoryApp';

interface TenantItem {
  tenantId: string;
  name: string;
  edition: string;
  status: string;
}

interface TenantPage {
  items: TenantItem[];
  continuation?: string;
}

describe('listing tenants (GET /api/tenants)', () => {
  let app: FactoryApp;
  const ids = ['list-a', 'list-b', 'list-c', 'list-d', 'list-e'];

  beforeAll(async () => {
    app = await startFactoryApp();
    for (const tenantId of ids) {
      expect((await app.call('POST', 'tenants', { body: { tenantId, name: `Tenant ${tenantId}`, edition: 'free' } })).status).toBe(201);
    }
  });
  afterAll(() => app?.stop());

  const listAll = async (limit: number) => {
    const seen: TenantItem[] = [];
    let continuation: string | undefined;
    let pages = 0;
    do {
      const query = `limit=${limit}${continuation ? `&continuation=${encodeURIComponent(continuation)}` : ''}`;
      const res = await app.call<TenantPage>('GET', `tenants?${query}`);
      expect(res.status).toBe(200);
      expect(res.body.items.length).toBeLessThanOrEqual(limit);
      seen.push(...res.body.items);
      continuation = res.body.continuation;
      pages++;
    } while (continuation && pages < 50);
    return { seen, pages };
  };

  it('gives a PlatformAdmin every tenant, oldest first', async () => {
    const res = await app.call<TenantPage>('GET', 'tenants');
    expect(res.status).toBe(200);
    const listed = res.body.items.map((tenant) => tenant.tenantId);
    expect(listed).toEqual(expect.arrayContaining(ids));
    expect(listed.filter((id) => ids.includes(id))).toEqual(ids);
    expect(res.body.items.find((tenant) => tenant.tenantId === 'list-a')).toMatchObject({ name: 'Tenant list-a', edition: 'free', status: 'active' });
  });

  it('pages with limit and continuation, each tenant once', async () => {
    const { seen, pages } = await listAll(2);
    expect(pages).toBeGreaterThanOrEqual(3);
    const listed = seen.map((tenant) => tenant.tenantId);
    expect(new Set(listed).size).toBe(listed.length);
    expect(listed).toEqual(expect.arrayContaining(ids));
  });

  it('shows renames, suspension and deletion in the list', async () => {
    expect((await app.call('PATCH', 'tenants/list-b', { body: { name: 'Renamed B', edition: 'pro' } })).status).toBe(200);
    expect((await app.call('POST', 'tenants/list-c/suspend', { body: { reason: 'unpaid' } })).status).toBe(200);
    expect((await app.call('DELETE', 'tenants/list-d', { body: {} })).status).toBe(200);
    const { seen } = await listAll(1000);
    const byId = new Map(seen.map((tenant) => [tenant.tenantId, tenant]));
    expect(byId.get('list-b')).toMatchObject({ name: 'Renamed B', edition: 'pro', status: 'active' });
    expect(byId.get('list-c')).toMatchObject({ status: 'suspended' });
    expect(byId.get('list-d')).toMatchObject({ status: 'deleted' });
  });

  it('refuses a TenantAdmin (403) and an anonymous caller (401)', async () => {
    const key = await app.call<{ secret: string }>('POST', 'tenants/list-a/keys', { body: { name: 'admin', roles: ['TenantAdmin'] } });
    expect(key.status).toBe(201);
    const res = await app.call<{ code: string }>('GET', 'tenants', { key: key.body.secret });
    expect(res.status).toBe(403);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    expect((await app.call('GET', 'tenants', { key: '' })).status).toBe(401);
  });

  it('answers a bad limit or a forged continuation with 400 and the query path', async () => {
    const badLimit = await app.call<{ errors: { path: string }[] }>('GET', 'tenants?limit=0');
    expect(badLimit.status).toBe(400);
    expect(badLimit.body.errors.map((error) => error.path)).toEqual(['query.limit']);
    const forged = await app.call<{ errors: { path: string }[] }>('GET', 'tenants?continuation=forged');
    expect(forged.status).toBe(400);
    expect(forged.body.errors.map((error) => error.path)).toEqual(['query.continuation']);
  });
});
