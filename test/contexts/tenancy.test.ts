import { FactoryApp, startFactoryApp } from '../support/factoryApp';
import { eventually } from '../support/hostProcess';

interface Problem {
  status: number;
  code: string;
  errors?: { path: string; message: string }[];
}

describe('tenancy', () => {
  let app: FactoryApp;
  let acmeAdmin: string;
  let acmeViewer: string;
  let globexAdmin: string;

  const newKey = async (tenantId: string, roles: string[]) => {
    const res = await app.call<{ secret: string }>('POST', `tenants/${tenantId}/keys`, { body: { name: roles.join('+'), roles } });
    expect(res.status).toBe(201);
    return res.body.secret;
  };

  beforeAll(async () => {
    app = await startFactoryApp();
    const acme = await app.call('POST', 'tenants', { body: { name: 'Acme Corp.', edition: 'free' } });
    expect(acme.status).toBe(201);
    expect((await app.call('POST', 'tenants', { body: { tenantId: 'globex', name: 'Globex', edition: 'pro' } })).status).toBe(201);
    acmeAdmin = await newKey('acme-corp', ['TenantAdmin']);
    acmeViewer = await newKey('acme-corp', ['Viewer']);
    globexAdmin = await newKey('globex', ['TenantAdmin']);
  });
  afterAll(() => app?.stop());

  it('creates a tenant whose id is the slug of its name, and reads it back', async () => {
    const res = await app.call('GET', 'tenants/acme-corp', { key: acmeViewer });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ tenantId: 'acme-corp', name: 'Acme Corp.', edition: 'free', featureFlags: {} });
  });

  it('answers 409 for a tenant id that is taken', async () => {
    const res = await app.call<Problem>('POST', 'tenants', { body: { tenantId: 'globex', name: 'Globex again', edition: 'free' } });
    expect(res.status).toBe(409);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
  });

  it('reports every invalid field with its path', async () => {
    const res = await app.call<Problem>('POST', 'tenants', { body: { tenantId: '-bad id', name: '', edition: 'gold' } });
    expect(res.status).toBe(400);
    expect(res.body.errors!.map((e) => e.path).sort()).toEqual(['body.edition', 'body.name', 'body.tenantId']);
    const noSlug = await app.call<Problem>('POST', 'tenants', { body: { name: '!!!', edition: 'free' } });
    expect(noSlug.status).toBe(400);
    expect(noSlug.body.errors).toEqual([expect.objectContaining({ path: 'body.tenantId' })]);
  });

  it('lets only a PlatformAdmin create tenants', async () => {
    expect((await app.call('POST', 'tenants', { key: '', body: { name: 'Anon', edition: 'free' } })).status).toBe(401);
    const res = await app.call<Problem>('POST', 'tenants', { key: acmeAdmin, body: { name: 'Sneaky', edition: 'enterprise' } });
    expect(res.status).toBe(403);
    expect(res.body.code).toBe('Forbidden');
  });

  it("hides another tenant's existence: 404, not 403", async () => {
    expect((await app.call('GET', 'tenants/globex', { key: acmeAdmin })).status).toBe(404);
    expect((await app.call('PATCH', 'tenants/globex', { key: acmeAdmin, body: { name: 'Mine now' } })).status).toBe(404);
    expect((await app.call('GET', 'tenants/globex/entitlements', { key: acmeViewer })).status).toBe(404);
    expect((await app.call('GET', 'tenants/nowhere')).status).toBe(404);
  });

  it('gives the edition entitlements, with feature flags applied', async () => {
    const free = await app.call('GET', 'tenants/acme-corp/entitlements', { key: acmeViewer });
    expect(free.status).toBe(200);
    expect(free.body).toEqual({
      tenantId: 'acme-corp',
      edition: 'free',
      maxProjects: 2,
      maxConcurrentWorkflows: 1,
      monthlyTokenBudget: 200000,
      maxBlueprintVersionsPerProject: 50,
      maxApiKeys: 10,
      maxArtifactsPerProject: 2000,
      allowedModelProviders: ['builtin'],
      features: [],
    });
    // A TenantAdmin's flags only narrow the edition: a free tenant cannot switch paid features on.
    const widened = await app.call<Problem>('PATCH', 'tenants/acme-corp', { key: acmeAdmin, body: { name: 'Acme Corporation', featureFlags: { 'production-releases': true } } });
    expect(widened.status).toBe(403);
    expect(widened.body.code).toBe('FeatureNotInEdition');
    expect((await app.call('GET', 'tenants/acme-corp/entitlements', { key: acmeViewer })).body.features).toEqual([]);
    expect((await app.call('GET', 'tenants/acme-corp', { key: acmeViewer })).body).toMatchObject({ name: 'Acme Corp.', featureFlags: {} });
    expect((await app.call('PATCH', 'tenants/acme-corp', { key: acmeAdmin, body: { name: 'Acme Corporation' } })).status).toBe(200);
    // A PlatformAdmin may grant beyond the edition.
    const granted = await app.call('PATCH', 'tenants/acme-corp', { body: { featureFlags: { 'production-releases': true } } });
    expect(granted.status).toBe(200);
    expect(granted.body).toMatchObject({ name: 'Acme Corporation', edition: 'free', featureFlags: { 'production-releases': true } });
    expect((await app.call('GET', 'tenants/acme-corp/entitlements', { key: acmeViewer })).body.features).toEqual(['production-releases']);
  });

  it('answers a stale If-Match with 412 and a current one with 200', async () => {
    const read = await app.call('GET', 'tenants/globex', { key: globexAdmin });
    const etag = read.headers.get('etag')!;
    expect(etag).toMatch(/^".+"$/);
    const first = await app.call('PATCH', 'tenants/globex', { key: globexAdmin, body: { name: 'Globex Corporation' }, headers: { 'if-match': etag } });
    expect(first.status).toBe(200);
    expect(first.headers.get('etag')).not.toBe(etag);
    const stale = await app.call<Problem>('PATCH', 'tenants/globex', { key: globexAdmin, body: { name: 'Globex Inc' }, headers: { 'if-match': etag } });
    expect(stale.status).toBe(412);
    expect(stale.body.code).toBe('PreconditionFailed');
    expect((await app.call('GET', 'tenants/globex', { key: globexAdmin })).body.name).toBe('Globex Corporation');
    expect((await app.call('PATCH', 'tenants/globex', { key: globexAdmin, body: { name: 'Globex' }, headers: { 'if-match': '*' } })).status).toBe(200);
  });

  it('suspends, resumes and deletes a tenant; its keys stop working at once (PlatformAdmin only)', async () => {
    expect((await app.call('POST', 'tenants', { body: { tenantId: 'initech', name: 'Initech', edition: 'pro' } })).status).toBe(201);
    const admin = await newKey('initech', ['TenantAdmin']);
    const viewer = await newKey('initech', ['Viewer']);
    expect((await app.call('GET', 'tenants/initech', { key: viewer })).status).toBe(200);
    expect((await app.call('POST', 'tenants/initech/suspend', { key: admin })).status).toBe(403);

    const suspended = await app.call('POST', 'tenants/initech/suspend', { body: { reason: 'unpaid invoice' } });
    expect(suspended.status).toBe(200);
    expect(suspended.body).toMatchObject({ status: 'suspended' });
    for (const key of [admin, viewer]) {
      expect((await app.call('GET', 'tenants/initech', { key })).status).toBe(401);
      expect((await app.call('POST', 'tenants/initech/projects', { key, body: { projectId: 'p', name: 'P' } })).status).toBe(401);
    }
    expect((await app.call('GET', 'tenants/initech')).body).toMatchObject({ status: 'suspended' });

    expect((await app.call('POST', 'tenants/initech/resume')).body).toMatchObject({ status: 'active' });
    expect((await app.call('GET', 'tenants/initech', { key: viewer })).status).toBe(200);

    const deleted = await app.call('DELETE', 'tenants/initech');
    expect(deleted.status).toBe(200);
    expect(deleted.body).toMatchObject({ status: 'deleted' });
    expect((await app.call('GET', 'tenants/initech', { key: admin })).status).toBe(401);
    expect((await app.call('POST', 'tenants/initech/projects/p/blueprints', { key: admin, raw: 'x: 1', contentType: 'application/yaml' })).status).toBe(401);
    expect((await app.call('GET', 'tenants/initech')).status).toBe(404);
    expect((await app.call('DELETE', 'tenants/initech')).status).toBe(404);
    expect((await app.call('POST', 'tenants', { body: { tenantId: 'initech', name: 'Initech again', edition: 'free' } })).status).toBe(409);

    const audit = await eventually(async () => {
      const res = await app.call<{ items: { action: string; data: { reason?: string; revokedKeys?: number } }[] }>('GET', 'tenants/initech/audit');
      return res.body.items.some((e) => e.action === 'TenantDeleted.v1') ? res.body.items : undefined;
    });
    expect(audit.map((e) => e.action)).toEqual(expect.arrayContaining(['TenantSuspended.v1', 'TenantResumed.v1', 'TenantDeleted.v1']));
    expect(audit.find((e) => e.action === 'TenantSuspended.v1')?.data.reason).toBe('unpaid invoice');
    expect(audit.find((e) => e.action === 'TenantDeleted.v1')?.data.revokedKeys).toBe(2);
  });

  it('lets a TenantAdmin withdraw an edition feature, and null return to the default', async () => {
    const off = await app.call('PATCH', 'tenants/globex', { key: globexAdmin, body: { featureFlags: { 'sprint-execution': false } } });
    expect(off.status).toBe(200);
    expect((await app.call('GET', 'tenants/globex/entitlements', { key: globexAdmin })).body.features).toEqual(['production-releases']);
    await app.call('PATCH', 'tenants/globex', { key: globexAdmin, body: { featureFlags: { 'sprint-execution': null } } });
    const back = await app.call('GET', 'tenants/globex/entitlements', { key: globexAdmin });
    expect(back.body.features).toEqual(['production-releases', 'sprint-execution']);
    expect((await app.call('GET', 'tenants/globex', { key: globexAdmin })).body.featureFlags).toEqual({});
  });

  it('rejects unknown features and empty patches', async () => {
    const unknown = await app.call<Problem>('PATCH', 'tenants/acme-corp', { key: acmeAdmin, body: { featureFlags: { teleportation: true } } });
    expect(unknown.status).toBe(400);
    expect(unknown.body.errors![0].path).toBe('body.featureFlags');
    expect((await app.call('PATCH', 'tenants/acme-corp', { key: acmeAdmin, body: {} })).status).toBe(400);
  });

  it('keeps edition changes to the PlatformAdmin and renames from viewers out', async () => {
    const byTenantAdmin = await app.call<Problem>('PATCH', 'tenants/acme-corp', { key: acmeAdmin, body: { edition: 'enterprise' } });
    expect(byTenantAdmin.status).toBe(403);
    expect((await app.call('PATCH', 'tenants/acme-corp', { key: acmeViewer, body: { name: 'Viewer was here' } })).status).toBe(403);
    const upgraded = await app.call('PATCH', 'tenants/acme-corp', { body: { edition: 'pro' } });
    expect(upgraded.status).toBe(200);
    expect(upgraded.body.edition).toBe('pro');
    const entitlements = await app.call('GET', 'tenants/acme-corp/entitlements', { key: acmeAdmin });
    expect(entitlements.body).toMatchObject({ edition: 'pro', maxProjects: 25, allowedModelProviders: ['builtin', 'azure-openai'] });
  });

  it('audits tenant creation and updates with who did them', async () => {
    const audit = await eventually(async () => {
      const res = await app.call<{ items: { action: string; actor: string; data: { changes?: string[] } }[] }>('GET', 'tenants/acme-corp/audit', { key: acmeAdmin });
      return res.body.items.filter((e) => e.action === 'TenantUpdated.v1').length >= 3 ? res.body.items : undefined;
    });
    expect(audit[0].action).toBe('TenantCreated.v1');
    const updates = audit.filter((e) => e.action === 'TenantUpdated.v1');
    expect(updates.map((e) => e.data.changes)).toEqual([['name'], ['featureFlags.production-releases'], ['edition']]);
    expect(updates[0].actor).toMatch(/^apikey:acme-corp\./);
  });
});
