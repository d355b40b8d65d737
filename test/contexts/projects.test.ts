import { SqliteDocumentStore } from '../../shared/platform/store';
import { exampleText as example } from '../blueprints/support';
import { FactoryApp, startFactoryApp } from '../support/factoryApp';
import { eventually } from '../support/hostProcess';

interface Problem {
  status: number;
  code: string;
  errors?: { path: string; message: string }[];
}

describe('projects', () => {
  let app: FactoryApp;
  const keys: Record<string, string> = {};

  const newTenant = async (tenantId: string, edition: string) => {
    expect((await app.call('POST', 'tenants', { body: { tenantId, name: tenantId, edition } })).status).toBe(201);
  };
  const newKey = async (tenantId: string, role: string) => {
    const res = await app.call<{ secret: string }>('POST', `tenants/${tenantId}/keys`, { body: { name: role, roles: [role] } });
    expect(res.status).toBe(201);
    return res.body.secret;
  };
  const createProject = (tenantId: string, body: unknown, key?: string) => app.call<Problem & Record<string, unknown>>('POST', `tenants/${tenantId}/projects`, { key, body });

  beforeAll(async () => {
    app = await startFactoryApp();
    await newTenant('vet', 'pro');
    await newTenant('rival', 'pro');
    for (const role of ['TenantAdmin', 'Architect', 'Developer']) keys[role] = await newKey('vet', role);
    keys.rival = await newKey('rival', 'TenantAdmin');
  });
  afterAll(() => app?.stop());

  it('creates a project with its id from the name and every environment by default', async () => {
    const res = await createProject('vet', { name: 'Vet Clinic', description: 'Appointments and records' }, keys.TenantAdmin);
    expect(res.status).toBe(201);
    expect(res.headers.get('location')).toBe('/api/tenants/vet/projects/vet-clinic');
    expect(res.body).toMatchObject({
      projectId: 'vet-clinic',
      tenantId: 'vet',
      name: 'Vet Clinic',
      description: 'Appointments and records',
      environments: ['dev', 'staging', 'production'],
      createdBy: expect.stringMatching(/^apikey:vet\./),
    });
  });

  it('lets an Architect create, stores environments in promotion order, and refuses a Developer', async () => {
    const res = await createProject('vet', { projectId: 'billing', name: 'Billing', environments: ['production', 'dev'] }, keys.Architect);
    expect(res.status).toBe(201);
    expect(res.body.environments).toEqual(['dev', 'production']);
    expect((await createProject('vet', { name: 'Nope' }, keys.Developer)).status).toBe(403);
    expect((await createProject('vet', { name: 'Nope' }, '')).status).toBe(401);
  });

  it('answers 409 for a duplicate project id', async () => {
    const res = await createProject('vet', { projectId: 'billing', name: 'Billing again' }, keys.TenantAdmin);
    expect(res.status).toBe(409);
    expect(res.body.code).toBe('ProjectExists');
  });

  it('reports every invalid field with its path', async () => {
    const res = await createProject('vet', { projectId: 'has space', environments: ['dev', 'dev', 'qa'], color: 'red' }, keys.TenantAdmin);
    expect(res.status).toBe(400);
    expect(res.body.errors!.map((e) => e.path).sort()).toEqual(['body', 'body.environments[2]', 'body.name', 'body.projectId']);
    const dupes = await createProject('vet', { name: 'Dupes', environments: ['dev', 'dev'] }, keys.TenantAdmin);
    expect(dupes.body.errors).toEqual([expect.objectContaining({ path: 'body.environments' })]);
  });

  it('lists projects page by page, to any role of the tenant', async () => {
    const first = await app.call<{ items: { projectId: string }[]; continuation?: string }>('GET', 'tenants/vet/projects?limit=1', { key: keys.Developer });
    expect(first.status).toBe(200);
    expect(first.body.items.map((p) => p.projectId)).toEqual(['vet-clinic']);
    const rest = await app.call<{ items: { projectId: string }[]; continuation?: string }>(
      'GET',
      `tenants/vet/projects?limit=10&continuation=${encodeURIComponent(first.body.continuation!)}`,
      { key: keys.Developer },
    );
    expect(rest.body.items.map((p) => p.projectId)).toEqual(['billing']);
    expect(rest.body.continuation).toBeUndefined();
    expect((await app.call<Problem>('GET', 'tenants/vet/projects?limit=abc', { key: keys.Developer })).body.errors![0].path).toBe('query.limit');
  });

  it("answers 404 for another tenant's projects", async () => {
    expect((await app.call('GET', 'tenants/vet/projects', { key: keys.rival })).status).toBe(404);
    expect((await app.call('GET', 'tenants/vet/projects/vet-clinic', { key: keys.rival })).status).toBe(404);
    expect((await createProject('vet', { name: 'Hijack' }, keys.rival)).status).toBe(404);
    expect((await app.call('GET', 'tenants/rival/projects/vet-clinic', { key: keys.rival })).status).toBe(404);
    expect((await app.call('GET', 'tenants/ghost/projects')).status).toBe(404);
    expect((await createProject('ghost', { name: 'Nowhere' })).status).toBe(404);
  });

  it('shows no modules before a valid blueprint, then those of the latest valid version', async () => {
    const before = await app.call('GET', 'tenants/vet/projects/vet-clinic', { key: keys.Developer });
    expect(before.status).toBe(200);
    expect(before.body).toMatchObject({ projectId: 'vet-clinic', blueprintVersion: null, modules: [] });

    const submit = (text: string) => app.call<{ version?: number }>('POST', 'tenants/vet/projects/vet-clinic/blueprints', { key: keys.Architect, raw: text, contentType: 'application/yaml' });
    const first = await submit(example('library.yaml'));
    expect(first.status).toBe(201);
    const second = await submit(example('vetclinic.yaml'));
    expect(second.body.version).toBe(2);
    expect((await submit(example('broken.yaml'))).status).toBe(422);

    const after = await app.call('GET', 'tenants/vet/projects/vet-clinic', { key: keys.Developer });
    expect(after.body.blueprintVersion).toBe(2);
    expect(after.body.modules).toEqual([
      { name: 'BookingService', kind: 'microservice', dependsOn: ['NotificationService'] },
      { name: 'NotificationService', kind: 'worker', dependsOn: [] },
      { name: 'PaymentService', kind: 'microservice', dependsOn: ['NotificationService'] },
    ]);
  });

  it('reads the modules of the latest version from a blueprint head stored without them (data of an earlier build)', async () => {
    await newTenant('old', 'pro');
    const admin = await newKey('old', 'TenantAdmin');
    expect((await createProject('old', { projectId: 'legacy', name: 'Legacy' }, admin)).status).toBe(201);
    const store = SqliteDocumentStore.open(app.host.dataDir);
    try {
      const key = { tenantId: 'old', projectId: 'legacy' };
      const version = (n: number, modules: { name: string; kind: string; dependsOn: string[] }[]) =>
        store.create('blueprints', { id: `version-${n}`, ...key, type: 'blueprintVersion', version: n, status: 'valid', modules });
      await version(1, [{ name: 'owners', kind: 'service', dependsOn: [] }]);
      await version(2, [{ name: 'owners', kind: 'service', dependsOn: [] }, { name: 'appointments', kind: 'service', dependsOn: ['owners'] }]);
      await store.create('blueprints', { id: 'blueprintHead', ...key, type: 'blueprintHead', latestVersion: 2, latestContentHash: 'x', updatedAt: new Date().toISOString() });
    } finally {
      await store.close();
    }
    const read = await app.call('GET', 'tenants/old/projects/legacy', { key: admin });
    expect(read.body).toMatchObject({ blueprintVersion: 2, modules: [{ name: 'owners', kind: 'service', dependsOn: [] }, { name: 'appointments', kind: 'service', dependsOn: ['owners'] }] });
  });

  it('holds a free tenant to its project quota, even under concurrent creates', async () => {
    await newTenant('thrifty', 'free');
    const attempts = await Promise.all(['a', 'b', 'c', 'd', 'e'].map((id) => createProject('thrifty', { projectId: id, name: id })));
    const statuses = attempts.map((r) => r.status).sort();
    expect(statuses).toEqual([201, 201, 429, 429, 429]);
    const refused = attempts.find((r) => r.status === 429)!;
    expect(refused.body.code).toBe('QuotaExceeded');
    expect(refused.headers.get('content-type')).toContain('application/problem+json');
    const listed = await app.call<{ items: unknown[] }>('GET', 'tenants/thrifty/projects');
    expect(listed.body.items).toHaveLength(2);
    // An upgrade lifts the quota.
    expect((await app.call('PATCH', 'tenants/thrifty', { body: { edition: 'pro' } })).status).toBe(200);
    expect((await createProject('thrifty', { projectId: 'f', name: 'f' })).status).toBe(201);
  });

  it('audits project creation for the TenantAdmin', async () => {
    const audit = await eventually(async () => {
      const res = await app.call<{ items: { action: string; source: string; data: { projectId?: string } }[] }>('GET', 'tenants/vet/audit', { key: keys.TenantAdmin });
      return res.body.items.filter((e) => e.action === 'ProjectCreated.v1').length >= 2 ? res.body.items : undefined;
    });
    const created = audit.filter((e) => e.action === 'ProjectCreated.v1');
    expect(created.map((e) => e.data.projectId)).toEqual(['vet-clinic', 'billing']);
    expect(created[0].source).toBe('/tenants/vet/projects/vet-clinic');
    expect(audit.map((e) => e.action)).toContain('TenantCreated.v1');
  });
});
