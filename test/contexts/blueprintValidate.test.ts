import { BROKEN_EXAMPLE_PROBLEMS, exampleText } from '../blueprints/support';
import { FactoryApp, startFactoryApp } from '../support/factoryApp';
import { eventually } from '../support/hostProcess';
import { setupTenant, TenantSetup } from '../support/factoryScenario';

const route = 'tenants/validating/projects/vet/blueprints';

/** `POST …/blueprints/validate`: the submit's checks without storing or recording anything. */
describe('blueprint validate-only route', () => {
  let app: FactoryApp;
  let tenant: TenantSetup;
  beforeAll(async () => {
    app = await startFactoryApp();
    tenant = await setupTenant(app, 'validating');
    expect((await app.call('POST', 'tenants/validating/projects', { key: tenant.keys.admin, body: { projectId: 'vet', name: 'Vet' } })).status).toBe(201);
  });
  afterAll(() => app?.stop());

  const validate = (text: string, key = tenant.keys.viewer, path = `${route}/validate`) => app.call('POST', path, { key, raw: text, contentType: 'application/yaml' });

  it('answers 200 with the report for a valid blueprint, and names the version that already holds it', async () => {
    const first = await validate(exampleText('vetclinic.yaml'));
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ valid: true, format: 'yaml', name: 'vetclinic', modules: expect.arrayContaining([{ name: 'BookingService', kind: 'microservice', dependsOn: ['NotificationService'] }]) });
    expect(first.body.existingVersion).toBeUndefined();
    expect((await app.call('GET', route, { key: tenant.keys.viewer })).body.items).toEqual([]);

    const submitted = await app.call('POST', route, { key: tenant.keys.architect, raw: exampleText('vetclinic.yaml'), contentType: 'application/yaml' });
    expect(submitted.status).toBe(201);
    const again = await validate(exampleText('vetclinic.yaml'));
    expect(again.body).toMatchObject({ existingVersion: 1, contentHash: submitted.body.contentHash });
  });

  it('answers 422 with every problem and its path, and records nothing', async () => {
    // Other events of the earlier submit (its budget, …) may still reach the audit trail after this
    // call, asynchronously: what must not appear is a blueprint entry — a rejection or a version.
    const blueprintEntries = async () =>
      (await app.call<{ items: { action: string }[] }>('GET', 'tenants/validating/audit?limit=1000', { key: tenant.keys.admin })).body.items.filter((e) => e.action.startsWith('Blueprint'));
    const before = (await eventually(async () => {
      const items = await blueprintEntries();
      return items.some((e) => e.action.startsWith('BlueprintValidated')) ? items : undefined;
    }, 60000, 'the submit in the audit trail')).length;
    const res = await validate(exampleText('broken.yaml'));
    expect(res.status).toBe(422);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    expect(res.body).toMatchObject({ code: 'BlueprintInvalid', status: 422 });
    expect(res.body.rejectionId).toBeUndefined();
    expect(res.body.errors.map((e: { path: string; code: string }) => [e.path, e.code])).toEqual(BROKEN_EXAMPLE_PROBLEMS);
    for (const error of res.body.errors) expect(error).toEqual(expect.objectContaining({ line: expect.any(Number), column: expect.any(Number) }));
    expect((await blueprintEntries()).length).toBe(before);
  });

  it('gives each problem the line and column of the text it is about, in YAML and JSON', async () => {
    const text = ['apiVersion: factory/v1', 'kind: Blueprint', 'metadata:', '  name: Not A Slug', 'spec:', '  environments: [dev]', '  modules:', '    - name: OrderService', '      kind: spaceship'].join('\n');
    const res = await validate(text);
    expect(res.status).toBe(422);
    const at = (path: string) => res.body.errors.find((e: { path: string }) => e.path === path);
    expect(at('metadata.name')).toMatchObject({ line: 4, column: 3 });
    expect(at('spec.modules[0].kind')).toMatchObject({ line: 9, column: 7 });
    const json = await app.call('POST', `${route}/validate`, { key: tenant.keys.viewer, raw: '{\n  "apiVersion": "factory/v1",\n  "kind": "Blueprint",\n  "metadata": {\n    "name": "Bad Name"\n  }\n}', contentType: 'application/json' });
    expect(json.status).toBe(422);
    expect(json.body.errors.find((e: { path: string }) => e.path === 'metadata.name')).toMatchObject({ line: 5, column: 5 });
    const syntax = await validate('spec: [unclosed\nmore: x');
    expect(syntax.status).toBe(422);
    expect(syntax.body.errors[0]).toMatchObject({ code: 'YamlSyntax', line: expect.any(Number), column: expect.any(Number) });
  });

  it('is the only validation route (the former blueprints:validate is gone)', async () => {
    expect((await validate(exampleText('vetclinic.yaml'), tenant.keys.viewer, `${route}:validate`)).status).toBe(404);
  });

  it('needs a key of the tenant, and a project that exists', async () => {
    expect((await validate(exampleText('vetclinic.yaml'), '')).status).toBe(401);
    expect((await validate(exampleText('vetclinic.yaml'), tenant.keys.viewer, 'tenants/validating/projects/nope/blueprints/validate')).status).toBe(404);
    const rival = await setupTenant(app, 'rival-validator');
    expect((await validate(exampleText('vetclinic.yaml'), rival.keys.admin)).status).toBe(404);
    expect((await validate('   ')).status).toBe(400);
  });
});
