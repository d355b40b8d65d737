import { validateOpenApiText } from '../../shared/skills/openapi/validateOpenApi';
import { ApiResponse, FactoryApp, startFactoryApp } from '../support/factoryApp';
import { setupProject, setupTenant, TenantSetup } from '../support/factoryScenario';

// HTTP conventions as a client meets them, through the real factory app on the local host: every
// refusal is a 4xx `application/problem+json` that names the problem (status, title, detail, the
// path of each invalid field, the traceId), another tenant's resources are 404 (never 403), no
// mistake of the caller is ever a 5xx, and `GET /api/openapi.json` is a valid OpenAPI 3.1 document.

type OpenApiValidator = typeof import('@seriousme/openapi-schema-validator');

/**
 * `@seriousme/openapi-schema-validator` is ESM-only: loaded with `require` through Node's own
 * `createRequire` (jest replaces the CommonJS loader), as `shared/skills/openapi/validateOpenApi.ts` does.
 */
function loadOpenApiValidator(): OpenApiValidator {
  const nodeModule = process.getBuiltinModule?.('node:module') ?? (require('node:module') as typeof import('node:module'));
  return nodeModule.createRequire(__filename)('@seriousme/openapi-schema-validator') as OpenApiValidator;
}

interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  code?: string;
  errors?: { path: string; message: string }[];
  traceId?: string;
}

describe('HTTP conventions', () => {
  let app: FactoryApp;
  let acme: TenantSetup;
  let globex: TenantSetup;
  /** Every answer a test asserted as a refusal, for the final "never a 5xx" check. */
  const refusals: { request: string; status: number }[] = [];

  /** Asserts a problem+json answer with `status` that names the problem and carries its traceId. */
  function expectProblem(request: string, res: ApiResponse<Problem>, status: number): Problem {
    refusals.push({ request, status: res.status });
    const context = `${request} → ${res.status} ${JSON.stringify(res.body)}`;
    expect({ context, status: res.status }).toEqual({ context, status });
    expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json\b/);
    expect(res.body).toMatchObject({ status, title: expect.any(String), detail: expect.any(String) });
    expect(res.body.title.length).toBeGreaterThan(0);
    expect(res.body.detail.length).toBeGreaterThan(0);
    expect({ context, traceId: res.body.traceId }).toEqual({ context, traceId: expect.stringMatching(/^[0-9a-f]{32}$/) });
    expect(res.headers.get('x-trace-id')).toBe(res.body.traceId);
    return res.body;
  }

  async function openApiDocument(): Promise<{ openapi: string; paths: Record<string, Record<string, unknown>> }> {
    const res = await app.call('GET', 'openapi.json', { key: '' });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/json\b/);
    return res.body;
  }

  beforeAll(async () => {
    app = await startFactoryApp();
    acme = await setupTenant(app, 'acme');
    globex = await setupTenant(app, 'globex');
    await setupProject(app, globex, 'shop');
  });
  afterAll(() => app?.stop());

  it('answers malformed JSON with 400 MalformedBody, the parser message at path ""', async () => {
    const res = await app.call<Problem>('POST', 'tenants', { raw: '{"tenantId": "initech", "name": ' });
    const problem = expectProblem('POST /api/tenants (truncated JSON)', res, 400);
    expect(problem).toMatchObject({ title: 'Bad Request', code: 'MalformedBody', detail: 'The request body is not valid JSON.' });
    expect(problem.errors).toEqual([{ path: '', message: expect.any(String) }]);
    expect((await app.call('GET', 'tenants/initech')).status).toBe(404);
  });

  it('names the exact path of a wrong type deep in the body', async () => {
    const rule = { id: 'no-friday', point: 'workflow-start', description: 'No deploys on Fridays', when: [{ field: 'calendar.weekday', op: 5, value: 'Friday' }], outcome: 'deny' };
    const policies = await app.call<Problem>('PUT', 'tenants/acme/policies', { key: acme.keys.admin, body: { rules: [rule] } });
    const policyProblem = expectProblem('PUT /api/tenants/acme/policies (when[0].op: 5)', policies, 400);
    expect(policyProblem).toMatchObject({ title: 'Bad Request', code: 'ValidationFailed' });
    expect(policyProblem.errors!.map((e) => e.path)).toEqual(['body.rules[0].when[0].op']);

    const keys = await app.call<Problem>('POST', 'tenants/acme/keys', { key: acme.keys.admin, body: { name: 'ci', roles: [1] } });
    const keyProblem = expectProblem('POST /api/tenants/acme/keys (roles: [1])', keys, 400);
    expect(keyProblem.code).toBe('ValidationFailed');
    expect(keyProblem.errors!.map((e) => e.path)).toEqual(['body.roles[0]']);
    expect(keyProblem.errors![0].message.length).toBeGreaterThan(0);
    // Nothing was stored by either refusal.
    expect((await app.call<{ rules: unknown[] }>('GET', 'tenants/acme/policies', { key: acme.keys.admin })).body.rules).toEqual([]);
    expect((await app.call<{ items: { name: string }[] }>('GET', 'tenants/acme/keys', { key: acme.keys.admin })).body.items.map((k) => k.name)).not.toContain('ci');
  });

  it('answers a body over the limit (1 MiB) with 413', async () => {
    const raw = JSON.stringify({ tenantId: 'huge', name: 'Huge', edition: 'pro', padding: 'x'.repeat(1024 * 1024) });
    const res = await app.call<Problem>('POST', 'tenants', { raw });
    const problem = expectProblem('POST /api/tenants (1 MiB + body)', res, 413);
    expect(problem).toMatchObject({ code: 'PayloadTooLarge', detail: 'The request body exceeds the limit of 1048576 bytes.' });
    expect((await app.call('GET', 'tenants/huge')).status).toBe(404);
  });

  it('answers an unknown route with 404', async () => {
    for (const [method, path] of [
      ['GET', 'no-such-route'],
      ['GET', 'tenants/acme/no-such-collection'],
      ['POST', 'tenants/acme/projects/shop/no-such-action'],
    ] as const) {
      const res = await app.call<Problem>(method, path, { key: acme.keys.admin, body: method === 'POST' ? {} : undefined });
      const problem = expectProblem(`${method} /api/${path}`, res, 404);
      expect(problem.detail).toContain(`/api/${path}`);
    }
  });

  it('answers a missing, malformed, unknown or revoked key with 401 and WWW-Authenticate: Bearer', async () => {
    const revoked = await app.call<{ keyId: string; secret: string }>('POST', 'tenants/acme/keys', { key: acme.keys.admin, body: { name: 'short-lived', roles: ['Viewer'] } });
    expect(revoked.status).toBe(201);
    expect((await app.call('DELETE', `tenants/acme/keys/${revoked.body.keyId}`, { key: acme.keys.admin })).status).toBe(204);
    const cases: [string, Record<string, string> | undefined, string][] = [
      ['no Authorization', undefined, ''],
      ['not Bearer', { authorization: `Basic ${Buffer.from('acme:secret').toString('base64')}` }, ''],
      ['garbage key', undefined, 'not-a-key'],
      ['unknown key', undefined, `sf_acme.${'A'.repeat(43)}`],
      ['revoked key', undefined, revoked.body.secret],
    ];
    const keyDetails = new Set<string>();
    for (const [what, headers, key] of cases) {
      const res = await app.call<Problem>('GET', 'tenants/acme/projects', { key, headers });
      const problem = expectProblem(`GET /api/tenants/acme/projects (${what})`, res, 401);
      expect(problem).toMatchObject({ title: 'Unauthorized', code: 'Unauthorized' });
      expect(res.headers.get('www-authenticate')).toBe('Bearer');
      if (key) keyDetails.add(problem.detail);
    }
    // A presented key that fails gets one message whatever the reason: nothing to probe keys with.
    expect([...keyDetails]).toEqual(['Missing or invalid credentials.']);
  });

  it("answers 404 to a tenant-A key on every tenant-B resource, as for a tenant that does not exist", async () => {
    const reads = [
      '',
      '/entitlements',
      '/me',
      '/projects',
      '/projects/shop',
      '/keys',
      '/projects/shop/blueprints',
      '/projects/shop/blueprints/1',
      '/projects/shop/artifacts',
      '/projects/shop/workflows',
      '/approvals',
      '/policies',
      '/policy-decisions',
      '/audit',
      '/audit/verify',
      '/usage',
      '/budget',
    ];
    const unknownTenant = await app.call<Problem>('GET', 'tenants/no-such-tenant/projects', { key: acme.keys.admin });
    const expected = expectProblem('GET /api/tenants/no-such-tenant/projects (acme key)', unknownTenant, 404);
    for (const suffix of reads) {
      // Control: the resource exists for globex's own admin.
      const own = await app.call('GET', `tenants/globex${suffix}`, { key: globex.keys.admin });
      expect({ suffix, status: own.status }).toEqual({ suffix, status: 200 });
      for (const key of [acme.keys.admin, acme.keys.viewer]) {
        const res = await app.call<Problem>('GET', `tenants/globex${suffix}`, { key });
        const problem = expectProblem(`GET /api/tenants/globex${suffix} (acme key)`, res, 404);
        expect({ suffix, title: problem.title, detail: problem.detail, code: problem.code }).toEqual({ suffix, title: expected.title, detail: expected.detail, code: expected.code });
      }
    }
    const writes: [string, string, unknown][] = [
      ['POST', 'tenants/globex/keys', { name: 'backdoor', roles: ['TenantAdmin'] }],
      ['POST', 'tenants/globex/projects', { projectId: 'intruder', name: 'Intruder' }],
      ['PATCH', 'tenants/globex', { name: 'Owned' }],
      ['PUT', 'tenants/globex/policies', { rules: [] }],
      ['POST', 'tenants/globex/projects/shop/workflows', { kind: 'ProjectBootstrap' }],
      ['POST', 'tenants/globex/approvals/any/decision', { decision: 'approve' }],
    ];
    for (const [method, path, body] of writes) {
      const res = await app.call<Problem>(method, path, { key: acme.keys.admin, body });
      expectProblem(`${method} /api/${path} (acme key)`, res, 404);
    }
    // Nothing changed on globex's side.
    const keys = await app.call<{ items: { name: string }[] }>('GET', 'tenants/globex/keys', { key: globex.keys.admin });
    expect(keys.body.items.map((k) => k.name)).not.toContain('backdoor');
    expect((await app.call('GET', 'tenants/globex/projects/intruder', { key: globex.keys.admin })).status).toBe(404);
    expect((await app.call<{ name: string }>('GET', 'tenants/globex', { key: globex.keys.admin })).body.name).toBe('Tenant globex');
    expect((await app.call<{ items: unknown[] }>('GET', 'tenants/globex/projects/shop/workflows', { key: globex.keys.admin })).body.items).toEqual([]);
  });

  it('serves an OpenAPI 3.1 document that passes the OpenAPI 3.1 schema validator and lists the main routes', async () => {
    const document = await openApiDocument();
    expect(document.openapi).toBe('3.1.0');
    const validator = new (loadOpenApiValidator().Validator)();
    const result = await validator.validate(structuredClone(document));
    expect(validator.version).toBe('3.1');
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
    const t = '/api/tenants/{tenantId}';
    const p = `${t}/projects/{projectId}`;
    const routes: [string, string][] = [
      ['post', '/api/tenants'],
      ['get', t],
      ['post', `${t}/keys`],
      ['get', `${t}/projects`],
      ['post', `${t}/projects`],
      ['get', p],
      ['post', `${p}/blueprints`],
      ['get', `${p}/blueprints/{version}`],
      ['get', `${p}/artifacts`],
      ['get', `${p}/artifacts/{artifactId}`],
      ['post', `${p}/workflows`],
      ['get', `${p}/workflows/{workflowId}`],
      ['get', `${t}/approvals`],
      ['post', `${t}/approvals/{approvalId}/decision`],
      ['get', `${t}/audit`],
      ['get', `${t}/usage`],
      ['get', '/api/agents'],
      ['get', '/api/agents/{agentId}'],
    ];
    const missing = routes.filter(([method, path]) => !document.paths[path]?.[method]).map(([method, path]) => `${method.toUpperCase()} ${path}`);
    expect(missing).toEqual([]);
  });

  it('describes every error response in the OpenAPI document as problem+json, as they are sent', async () => {
    // validateOpenApiText (the check the OpenAPI skill applies to generated contracts): the schema
    // again, plus resolvable $refs, unique operationIds and problem+json on every 4xx/5xx response.
    expect(await validateOpenApiText(JSON.stringify(await openApiDocument()))).toEqual([]);
  });

  it('never answered any of these with a 5xx', () => {
    expect(refusals.length).toBeGreaterThan(50);
    expect(refusals.filter((r) => r.status >= 500)).toEqual([]);
  });
});
