import { parse as parseYaml, stringify as toYaml } from 'yaml';
import { BROKEN_EXAMPLE_PROBLEMS, exampleText } from '../blueprints/support';
import { FactoryApp, startFactoryApp } from '../support/factoryApp';
import { eventually } from '../support/hostProcess';

interface VersionSummary {
  projectId: string;
  version: number;
  status: string;
  contentHash: string;
  name: string;
  format: string;
  modules: { name: string; kind: string; dependsOn: string[] }[];
  submittedBy: string;
}

interface Problem {
  type: string;
  status: number;
  code: string;
  traceId: string;
  errors?: { path: string; message: string; code?: string }[];
}

interface AuditEntry {
  action: string;
  subject: string | null;
  source: string;
  actor: string | null;
  data: Record<string, unknown>;
}

const base = 'tenants/clinic/projects/vet/blueprints';
const YAML = 'application/yaml';

/** vetclinic.yaml plus a ReportingService and a new optional Invoice field. */
function changedVetclinic(): Record<string, unknown> {
  const document = parseYaml(exampleText('vetclinic.yaml'));
  const payment = document.spec.modules.find((m: { name: string }) => m.name === 'PaymentService');
  payment.entities[0].fields.note = 'text?';
  document.spec.modules.push({ name: 'ReportingService', kind: 'worker', dependsOn: ['PaymentService'], events: { consumes: ['PaymentReceived.v2'] } });
  return document;
}

describe('blueprints', () => {
  let app: FactoryApp;
  const keys: Record<string, string> = {};

  const newKey = async (tenantId: string, role: string) => {
    const res = await app.call<{ secret: string }>('POST', `tenants/${tenantId}/keys`, { body: { name: role, roles: [role] } });
    expect(res.status).toBe(201);
    return res.body.secret;
  };
  const submit = <T = VersionSummary>(text: string, contentType: string, key = keys.Architect, path = base) => app.call<T>('POST', path, { key, raw: text, contentType });

  beforeAll(async () => {
    app = await startFactoryApp();
    for (const tenantId of ['clinic', 'rival']) {
      expect((await app.call('POST', 'tenants', { body: { tenantId, name: tenantId, edition: 'pro' } })).status).toBe(201);
    }
    for (const role of ['TenantAdmin', 'Architect', 'Viewer', 'Agent']) keys[role] = await newKey('clinic', role);
    keys.rival = await newKey('rival', 'TenantAdmin');
    expect((await app.call('POST', 'tenants/clinic/projects', { key: keys.TenantAdmin, body: { projectId: 'vet', name: 'Vet Clinic' } })).status).toBe(201);
    expect((await app.call('POST', 'tenants/rival/projects', { key: keys.rival, body: { projectId: 'vet', name: 'Rival Vet' } })).status).toBe(201);
  });
  afterAll(() => app?.stop());

  it('stores a valid YAML blueprint as version 1', async () => {
    const res = await submit(exampleText('vetclinic.yaml'), YAML);
    expect(res.status).toBe(201);
    expect(res.headers.get('location')).toBe(`/api/${base}/1`);
    expect(res.body).toMatchObject({ projectId: 'vet', version: 1, status: 'valid', name: 'vetclinic', format: 'yaml', submittedBy: expect.stringMatching(/^apikey:clinic\./) });
    expect(res.body.contentHash).toMatch(/^[0-9a-f]{64}$/);
    expect(res.body.modules).toEqual([
      { name: 'BookingService', kind: 'microservice', dependsOn: ['NotificationService'] },
      { name: 'NotificationService', kind: 'worker', dependsOn: [] },
      { name: 'PaymentService', kind: 'microservice', dependsOn: ['NotificationService'] },
    ]);
  });

  it('answers the same content written as JSON with the existing version, not a new one', async () => {
    const first = await app.call<VersionSummary>('GET', `${base}/1`, { key: keys.Viewer });
    const res = await submit(JSON.stringify(parseYaml(exampleText('vetclinic.yaml')), null, 2), 'application/json');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ version: 1, format: 'yaml', contentHash: first.body.contentHash });
    expect(res.headers.get('location')).toBeNull();
  });

  it('stores changed content as version 2', async () => {
    const res = await submit(toYaml(changedVetclinic()), 'text/yaml', keys.TenantAdmin);
    expect(res.status).toBe(201);
    expect(res.body.version).toBe(2);
    expect(res.body.modules.map((m) => m.name)).toEqual(['BookingService', 'NotificationService', 'PaymentService', 'ReportingService']);
  });

  it('refuses the broken example with 422 and every problem at its path', async () => {
    const res = await submit<Problem>(exampleText('broken.yaml'), YAML);
    expect(res.status).toBe(422);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    expect(res.body).toMatchObject({ status: 422, code: 'BlueprintInvalid', type: expect.stringContaining('BlueprintInvalid'), traceId: expect.any(String) });
    expect(res.body.errors!.map((e) => [e.path, e.code])).toEqual(BROKEN_EXAMPLE_PROBLEMS);
    expect(res.body.errors!.every((e) => e.message.length > 0)).toBe(true);
  });

  it('reports syntax errors with line and column, and refuses an empty body with 400', async () => {
    const res = await submit<Problem>('apiVersion: factory/v1\nspec: [unclosed\n', YAML);
    expect(res.status).toBe(422);
    expect(res.body.errors).toEqual([expect.objectContaining({ path: '', code: 'YamlSyntax', message: expect.stringMatching(/line \d+, column \d+/) })]);
    const json = await submit<Problem>('{"apiVersion": "factory/v1",}', 'application/json');
    expect(json.body.errors).toEqual([expect.objectContaining({ path: '', code: 'JsonSyntax' })]);
    const empty = await submit<Problem>('  \n', YAML);
    expect(empty.status).toBe(400);
    expect(empty.body.errors![0].path).toBe('body');
  });

  it('lists versions newest first, page by page, to every role of the tenant', async () => {
    const first = await app.call<{ items: VersionSummary[]; continuation?: string }>('GET', `${base}?limit=1`, { key: keys.Agent });
    expect(first.status).toBe(200);
    expect(first.body.items.map((v) => v.version)).toEqual([2]);
    expect(first.body.items[0]).not.toHaveProperty('blueprint');
    const rest = await app.call<{ items: VersionSummary[]; continuation?: string }>('GET', `${base}?limit=10&continuation=${encodeURIComponent(first.body.continuation!)}`, {
      key: keys.Viewer,
    });
    expect(rest.body.items.map((v) => v.version)).toEqual([1]);
    expect(rest.body.continuation).toBeUndefined();
    expect((await app.call<Problem>('GET', `${base}?limit=0`, { key: keys.Viewer })).body.errors![0].path).toBe('query.limit');
  });

  it('reads a version with its normalized blueprint, and as YAML that resubmits to the same version', async () => {
    const res = await app.call('GET', `${base}/1`, { key: keys.Viewer });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ version: 1, name: 'vetclinic', blueprint: { metadata: { name: 'vetclinic' } } });
    const notification = res.body.blueprint.spec.modules[1];
    expect(notification.entities[0].fields.sentAt).toEqual({ kind: 'scalar', name: 'datetime', optional: true });
    expect(res.headers.get('etag')).toBe(`"${res.body.contentHash}"`);

    const yaml = await app.call<string>('GET', `${base}/1?format=yaml`, { key: keys.Viewer });
    expect(yaml.headers.get('content-type')).toContain('application/yaml');
    expect(yaml.body).toContain('sentAt: datetime?');
    const again = await submit(yaml.body, YAML);
    expect(again.status).toBe(200);
    expect(again.body.version).toBe(1);
  });

  it('diffs two versions and names the touched modules', async () => {
    const res = await app.call('GET', `${base}/diff?from=1&to=2`, { key: keys.Viewer });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ from: 1, to: 2, changed: true, touchedModules: ['ReportingService', 'PaymentService'] });
    expect(res.body.diff.modules).toEqual({
      added: ['ReportingService'],
      removed: [],
      unchanged: ['BookingService', 'NotificationService'],
      changed: [
        {
          name: 'PaymentService',
          entities: {
            added: [],
            removed: [],
            changed: [{ name: 'Invoice', fields: { added: [{ name: 'note', type: { kind: 'scalar', name: 'text', optional: true } }], removed: [], changed: [] } }],
          },
        },
      ],
    });
    const same = await app.call('GET', `${base}/diff?from=2&to=2`, { key: keys.Viewer });
    expect(same.body).toMatchObject({ changed: false, touchedModules: [] });
  });

  it('answers 404 for a missing version and 400 for a version that is not a positive integer', async () => {
    expect((await app.call<Problem>('GET', `${base}/99`, { key: keys.Viewer })).body.code).toBe('BlueprintVersionNotFound');
    expect((await app.call('GET', `${base}/diff?from=1&to=99`, { key: keys.Viewer })).status).toBe(404);
    const bad = await app.call<Problem>('GET', `${base}/diff?from=one&to=2.5`, { key: keys.Viewer });
    expect(bad.status).toBe(400);
    expect(bad.body.errors!.map((e) => e.path).sort()).toEqual(['query.from', 'query.to']);
    expect((await app.call('GET', `${base}/0`, { key: keys.Viewer })).status).toBe(400);
    expect((await app.call('GET', `tenants/clinic/projects/ghost/blueprints/1`, { key: keys.Viewer })).status).toBe(404);
    expect((await submit(exampleText('vetclinic.yaml'), YAML, keys.Architect, 'tenants/clinic/projects/ghost/blueprints')).status).toBe(404);
  });

  it('lets only TenantAdmin and Architect submit, and hides the project from another tenant', async () => {
    expect((await submit(exampleText('vetclinic.yaml'), YAML, keys.Viewer)).status).toBe(403);
    expect((await submit(exampleText('vetclinic.yaml'), YAML, keys.Agent)).status).toBe(403);
    expect((await submit(exampleText('vetclinic.yaml'), YAML, keys.rival)).status).toBe(404);
    expect((await app.call('GET', base, { key: keys.rival })).status).toBe(404);
    expect((await app.call('GET', `${base}/1`, { key: keys.rival })).status).toBe(404);
    expect((await app.call('GET', `${base}/diff?from=1&to=2`, { key: keys.rival })).status).toBe(404);
    // The rival's own project of the same id has no versions.
    expect((await app.call('GET', 'tenants/rival/projects/vet/blueprints', { key: keys.rival })).body.items).toEqual([]);
  });

  it('numbers concurrent submissions distinctly and stores concurrent twins once', async () => {
    const variants = [1, 2, 3].map((n) => {
      const document = changedVetclinic();
      (document.metadata as { description?: string }).description = `variant ${n}`;
      return toYaml(document);
    });
    const results = await Promise.all([...variants, variants[0], variants[0]].map((text) => submit(text, YAML)));
    expect(results.map((r) => r.status).sort()).toEqual([200, 200, 201, 201, 201]);
    expect(new Set(results.map((r) => r.body.version))).toEqual(new Set([3, 4, 5]));
    const twins = [results[0], results[3], results[4]];
    expect(twins.map((r) => r.status).sort()).toEqual([200, 200, 201]);
    expect(new Set(twins.map((r) => r.body.version)).size).toBe(1);
  });

  it("shows the latest valid version's modules on the project", async () => {
    const res = await app.call('GET', 'tenants/clinic/projects/vet', { key: keys.Viewer });
    expect(res.status).toBe(200);
    expect(res.body.blueprintVersion).toBe(5);
    expect(res.body.modules).toContainEqual({ name: 'ReportingService', kind: 'worker', dependsOn: ['PaymentService'] });
    expect(res.body.modules).toHaveLength(4);
  });

  it('audits submissions, validations and rejections', async () => {
    const audit = await eventually(async () => {
      const res = await app.call<{ items: AuditEntry[] }>('GET', 'tenants/clinic/audit?limit=1000', { key: keys.TenantAdmin });
      const actions = res.body.items.map((e) => e.action);
      const count = (action: string) => actions.filter((a) => a === action).length;
      return count('BlueprintSubmitted.v1') >= 5 && count('BlueprintValidated.v1') >= 5 && count('BlueprintRejected.v1') >= 3 ? res.body.items : undefined;
    });
    const of = (action: string) => audit.filter((e) => e.action === action);
    expect(of('BlueprintSubmitted.v1')).toHaveLength(5);
    expect(of('BlueprintSubmitted.v1').find((e) => e.subject === 'blueprints/1')).toMatchObject({ source: '/tenants/clinic/projects/vet', data: { version: 1, format: 'yaml' } });
    expect(of('BlueprintValidated.v1').map((e) => e.data.version).sort()).toEqual([1, 2, 3, 4, 5]);
    const rejected = of('BlueprintRejected.v1').find((e) => e.data.errorCount === BROKEN_EXAMPLE_PROBLEMS.length)!;
    expect(rejected.actor).toMatch(/^apikey:clinic\./);
    expect(rejected.data).toMatchObject({ format: 'yaml', rejectionId: expect.stringMatching(/^rejection-/) });
    expect((rejected.data.errors as { path: string }[]).map((e) => e.path)).toEqual(BROKEN_EXAMPLE_PROBLEMS.map(([path]) => path));
  });
});
