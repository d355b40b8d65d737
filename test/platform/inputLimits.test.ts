import { stringify } from 'yaml';
import { MAX_ARTIFACT_BYTES } from '../../shared/artifacts/service';
import { BLUEPRINT_LIMITS } from '../../shared/blueprints/limits';
import { DEFAULT_BODY_SHAPE } from '../../shared/platform/http/documentShape';
import { exampleText } from '../blueprints/support';
import { startFactoryApp, type FactoryApp } from '../support/factoryApp';

interface Problem {
  status: number;
  code: string;
  detail: string;
  errors?: { path: string; message: string; code?: string }[];
}

const PROBLEM = 'application/problem+json';

/** Bad input never costs the host: sizes at and just over each limit answer a problem, never a 5xx. */
describe('input limits through the local host', () => {
  let app: FactoryApp;
  let key: string;

  beforeAll(async () => {
    app = await startFactoryApp();
    expect((await app.call('POST', 'tenants', { body: { tenantId: 'limits', name: 'Limits', edition: 'free' } })).status).toBe(201);
    key = (await app.call<{ secret: string }>('POST', 'tenants/limits/keys', { body: { name: 'admin', roles: ['TenantAdmin'] } })).body.secret;
    expect((await app.call('POST', 'tenants/limits/projects', { key, body: { projectId: 'p1', name: 'P1' } })).status).toBe(201);
  }, 120_000);
  afterAll(() => app?.stop());

  const storeBinary = (bytes: number, name: string) =>
    app.call<{ size: number } & Problem>('POST', 'tenants/limits/projects/p1/artifacts', {
      key,
      body: { kind: 'other', name, encoding: 'base64', content: Buffer.alloc(bytes, bytes % 251).toString('base64') },
    });

  it('stores base64 artifacts of 3.5 MiB, 6 MiB and exactly 8 MiB (the regex overflowed the stack from 3.5 MiB)', async () => {
    for (const [bytes, name] of [[3.5 * 1024 * 1024, 'a.bin'], [6 * 1024 * 1024, 'b.bin'], [MAX_ARTIFACT_BYTES, 'c.bin']] as const) {
      const res = await storeBinary(bytes, name);
      expect([res.status, res.body.size]).toEqual([201, bytes]);
    }
  }, 120_000);

  it('answers one byte over 8 MiB with 413 problem+json', async () => {
    const res = await storeBinary(MAX_ARTIFACT_BYTES + 1, 'd.bin');
    expect(res.status).toBe(413);
    expect(res.headers.get('content-type')).toContain(PROBLEM);
    expect(res.body.code).toBe('ArtifactTooLarge');
  }, 120_000);

  it('answers malformed base64 of several MiB with 400 at body.content', async () => {
    const content = `${'A'.repeat(6 * 1024 * 1024)}%`;
    const res = await app.call<Problem>('POST', 'tenants/limits/projects/p1/artifacts', { key, body: { kind: 'other', name: 'e.bin', encoding: 'base64', content: `${content}AAA` } });
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([{ path: 'body.content', message: 'not valid base64' }]);
  }, 120_000);

  it('answers a 10,000-deep YAML blueprint with 422 naming the depth limit', async () => {
    const res = await app.call<Problem>('POST', 'tenants/limits/projects/p1/blueprints', { key, raw: `spec: ${'['.repeat(10_000)}${']'.repeat(10_000)}`, contentType: 'application/yaml' });
    expect(res.status).toBe(422);
    expect(res.body.errors).toEqual([{ path: '', code: 'LimitExceeded', message: expect.stringContaining(`the limit is ${BLUEPRINT_LIMITS.maxDepth}`) }]);
  });

  it('answers deeply nested JSON on a JSON route with 400 naming the depth limit and the path', async () => {
    // JSON.stringify itself overflows on such a value: the text is built by hand.
    const deep = `${'['.repeat(10_000)}1${']'.repeat(10_000)}`;
    for (const [method, path] of [['POST', 'tenants/limits/projects'], ['PUT', 'tenants/limits/budget'], ['POST', 'tenants/limits/keys']]) {
      const res = await app.call<Problem>(method, path, { key, raw: `{"name": ${deep}}` });
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('BodyTooComplex');
      expect(res.body.errors?.[0]).toEqual({ path: expect.stringMatching(/^body\.name(\[0\])+$/), message: expect.stringContaining(`the limit is ${DEFAULT_BODY_SHAPE.maxDepth}`) });
    }
  });

  it('answers a very wide JSON body with 400, not a slow parse', async () => {
    const res = await app.call<Problem>('POST', 'tenants/limits/projects', { key, raw: JSON.stringify({ name: Array(DEFAULT_BODY_SHAPE.maxNodes + 1).fill(0) }) });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('BodyTooComplex');
  });

  it('sets the project budget from the blueprint’s cost.monthlyBudgetUsd', async () => {
    const text = exampleText('vetclinic.yaml').replace('edition: premium', '');
    const submitted = await app.call('POST', 'tenants/limits/projects/p1/blueprints', { key, raw: text, contentType: 'application/yaml' });
    expect(submitted.status).toBe(201);
    const budget = await app.call<{ monthlyBudgetUsd: number }>('GET', 'tenants/limits/budget?projectId=p1', { key });
    expect(budget.status).toBe(200);
    expect(budget.body.monthlyBudgetUsd).toBe(500);
  });

  it("limits blueprint versions per project and API keys by the tenant's edition (free: 50 and 10), with 429 problems", async () => {
    const entitlements = await app.call<{ maxBlueprintVersionsPerProject: number; maxApiKeys: number }>('GET', 'tenants/limits/entitlements', { key });
    expect(entitlements.body).toMatchObject({ maxBlueprintVersionsPerProject: 50, maxApiKeys: 10 });
    const base = { apiVersion: 'factory/v1', kind: 'Blueprint', spec: { environments: ['dev'], modules: [{ name: 'A', kind: 'worker' }] } };
    const statuses: number[] = [];
    for (let version = 0; version <= 50; version++) {
      const res = await app.call<Problem>('POST', 'tenants/limits/projects/p1/blueprints', { key, raw: stringify({ ...base, metadata: { name: 'quota', description: `v${version}` } }), contentType: 'application/yaml' });
      statuses.push(res.status);
      if (res.status === 429) {
        expect(res.body.code).toBe('BlueprintVersionQuotaExceeded');
        break;
      }
    }
    // Version 1 is the vetclinic blueprint of the budget test: 49 more fit, the 50th new one does not.
    expect(statuses.filter((status) => status === 201)).toHaveLength(49);
    expect(statuses[statuses.length - 1]).toBe(429);

    const keyStatuses: number[] = [];
    for (let i = 0; i < 10; i++) keyStatuses.push((await app.call('POST', 'tenants/limits/keys', { key, body: { name: `k${i}`, roles: ['Viewer'] } })).status);
    // The TenantAdmin key exists already: nine more fit.
    expect(keyStatuses).toEqual([...Array(9).fill(201), 429]);
  }, 120_000);
});
