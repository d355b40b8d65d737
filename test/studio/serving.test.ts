import http from 'node:http';
import { gunzipSync } from 'node:zlib';
import { startFactoryApp, type FactoryApp } from '../support/factoryApp';
import { setupProject, setupTenant, startBootstrap, TINY, type TenantSetup } from '../support/factoryScenario';
import { eventually } from '../support/hostProcess';

// The Studio is served by the factory app itself at `/` (routePrefix "" with every API route under
// `api/`): assets with their content types and caching, client routes answered with index.html,
// and the API beside it unchanged. Plus the routes the Studio uses: blueprints/validate (with line and column), the
// workflow history and the workflow list filters.

jest.setTimeout(180_000);

/** A GET whose body is left as sent (fetch would undo the gzip). */
function rawGet(url: string, headers: Record<string, string>): Promise<{ headers: http.IncomingHttpHeaders; body: Buffer }> {
  return new Promise((resolve, reject) => {
    http.get(url, { headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ headers: res.headers, body: Buffer.concat(chunks) }));
    }).on('error', reject);
  });
}

describe('Studio served by the Functions app', () => {
  let app: FactoryApp;
  let tenant: TenantSetup;
  const get = (path: string, headers: Record<string, string> = {}) => fetch(`${app.host.origin}${path}`, { headers });

  beforeAll(async () => {
    app = await startFactoryApp();
    tenant = await setupTenant(app, 'serving');
    await setupProject(app, tenant, 'shop');
  });
  afterAll(() => app?.stop());

  it('answers / with index.html, a <base href> for its mount and a strict CSP', async () => {
    const res = await get('/');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(res.headers.get('cache-control')).toBe('no-cache');
    expect(res.headers.get('content-security-policy')).toContain("script-src 'self'");
    const html = await res.text();
    expect(html).toContain('<base href="/">');
    expect(html).toMatch(/<script type="module" crossorigin src="\.\/assets\/index-[\w-]+\.js"><\/script>/);
  });

  it('answers deep links with index.html (SPA fallback), and a subpath mount from X-Forwarded-Prefix', async () => {
    const deep = await get('/t/acme/p/shop/workflows/wf-1');
    expect(deep.status).toBe(200);
    expect(await deep.text()).toContain('<base href="/">');
    const proxied = await get('/t/acme/projects', { 'x-forwarded-prefix': '/factory/studio' });
    expect(await proxied.text()).toContain('<base href="/factory/studio/">');
    const hostile = await get('/', { 'x-forwarded-prefix': '"><script>alert(1)</script>' });
    expect(await hostile.text()).toContain('<base href="/">');
  });

  it('serves hashed assets as immutable, gzipped when asked, and 304 on a matching ETag', async () => {
    const html = await (await get('/')).text();
    const script = /src="\.\/(assets\/index-[\w-]+\.js)"/.exec(html)![1];
    const res = await get(`/${script}`, { 'accept-encoding': 'gzip' });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(res.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    const raw = await fetch(`${app.host.origin}/${script}`, { headers: { 'accept-encoding': 'identity' } });
    const body = Buffer.from(await raw.arrayBuffer());
    expect(raw.headers.get('content-encoding')).toBeNull();
    const zipped = await rawGet(`${app.host.origin}/${script}`, { 'accept-encoding': 'gzip' });
    expect(zipped.headers['content-encoding']).toBe('gzip');
    expect(zipped.body.length).toBeLessThan(body.length / 2);
    expect(gunzipSync(zipped.body).equals(body)).toBe(true);
    const again = await get(`/${script}`, { 'if-none-match': res.headers.get('etag')! });
    expect(again.status).toBe(304);
  });

  it('answers a missing asset with a 404 problem, never index.html, and never leaves its folder', async () => {
    for (const path of ['/assets/nope.js', '/favicon.png', '/..%2F..%2Fpackage.json', '/assets/..%2F..%2F..%2Fhost.json']) {
      const res = await get(path);
      expect([404]).toContain(res.status);
      expect(res.headers.get('content-type')).toBe('application/problem+json');
    }
  });

  it('keeps the API where it was: /api routes, the /api 404 problem, health and the OpenAPI document', async () => {
    expect((await get('/api/health')).status).toBe(200);
    const unknown = await get('/api/no-such-route');
    expect(unknown.status).toBe(404);
    expect(((await unknown.json()) as { code: string }).code).toBe('RouteNotFound');
    const doc = (await (await get('/api/openapi.json')).json()) as { paths: Record<string, unknown> };
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/api/tenants/{tenantId}/projects/{projectId}/blueprints/validate', '/api/studio/config']));
    // One validation route: the former `blueprints:validate` is gone.
    expect(Object.keys(doc.paths).filter((path) => path.includes(':validate'))).toEqual([]);
    expect(Object.keys(doc.paths).every((path) => path.startsWith('/api/'))).toBe(true);
    const write = await fetch(`${app.host.origin}/t/acme`, { method: 'POST' });
    expect(write.status).toBe(405);
    for (const hostRoute of ['/runtime/webhooks/durabletask/instances', '/admin/host/status', '/api']) {
      expect((await get(hostRoute)).headers.get('content-type') ?? '').not.toContain('text/html');
    }
  });

  it('tells the Studio how to sign in without a key', async () => {
    const res = await get('/api/studio/config');
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ apiKeySignIn: true });
  });

  it('validates blueprint text without storing it: 422 problem+json, each problem with its line and column', async () => {
    const validate = (raw: string, key = tenant.keys.viewer) => app.call('POST', `tenants/${tenant.tenantId}/projects/shop/blueprints/validate`, { key, raw, contentType: 'application/yaml' });
    const broken = TINY.replace('- name: PetService', '- name: pet service').replace('kind: microservice', 'kind: monolith');
    const lines = broken.split('\n');
    const res = await validate(broken);
    expect(res.status).toBe(422);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    expect(res.body.code).toBe('BlueprintInvalid');
    const byCode = Object.fromEntries(res.body.errors.map((p: { code: string; line: number; column: number }) => [p.code, [p.line, p.column]]));
    const nameLine = lines.findIndex((l) => l.includes('pet service'));
    expect(byCode.InvalidName).toEqual([nameLine + 1, lines[nameLine].indexOf('name') + 1]);
    const kindLine = lines.findIndex((l) => l.includes('kind: monolith'));
    expect(byCode.InvalidValue).toEqual([kindLine + 1, lines[kindLine].indexOf('kind') + 1]);
    const syntax = await validate('spec: [unclosed\nmore: x');
    expect(syntax.status).toBe(422);
    expect(syntax.body.errors[0]).toMatchObject({ code: 'YamlSyntax', line: expect.any(Number), column: expect.any(Number) });
    const ok = await validate(TINY);
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ valid: true, format: 'yaml' });
    const versions = await app.call('GET', `tenants/${tenant.tenantId}/projects/shop/blueprints`, { key: tenant.keys.viewer });
    expect(versions.body.items).toHaveLength(1);
    const retired = await app.call('POST', `tenants/${tenant.tenantId}/projects/shop/blueprints:validate`, { key: tenant.keys.viewer, raw: TINY, contentType: 'application/yaml' });
    expect(retired.status).toBe(404);
  });

  it('refuses validation without a key, for another tenant, and for an empty body', async () => {
    const validate = (raw: string, key: string) => app.call('POST', `tenants/${tenant.tenantId}/projects/shop/blueprints/validate`, { key, raw, contentType: 'application/yaml' });
    expect((await validate(TINY, '')).status).toBe(401);
    const other = await setupTenant(app, 'other-serving');
    expect((await validate(TINY, other.keys.admin)).status).toBe(404);
    const empty = await validate(' ', tenant.keys.viewer);
    expect(empty.status).toBe(400);
    expect(empty.headers.get('content-type')).toContain('application/problem+json');
  });

  it('lists workflows by kind, status and start time, and shows the durable history', async () => {
    const workflowId = await startBootstrap(app, tenant, 'shop');
    const base = `tenants/${tenant.tenantId}/projects/shop/workflows`;
    const list = async (query: string) => (await app.call('GET', `${base}?${query}`, { key: tenant.keys.viewer })).body.items.map((w: { workflowId: string }) => w.workflowId);
    expect(await list('kind=ProjectBootstrap')).toEqual([workflowId]);
    expect(await list('kind=SprintExecution')).toEqual([]);
    expect(await list('status=Running')).toEqual([workflowId]);
    expect(await list('status=Completed')).toEqual([]);
    expect(await list(`since=${encodeURIComponent(new Date(Date.now() + 60_000).toISOString().replace('Z', '+00:00'))}`)).toEqual([]);
    expect(await list(`since=${encodeURIComponent(new Date(Date.now() - 600_000).toISOString())}`)).toEqual([workflowId]);
    expect((await app.call('GET', `${base}?status=Bogus`, { key: tenant.keys.viewer })).status).toBe(400);

    const history = await eventually(async () => {
      const res = await app.call('GET', `${base}/${workflowId}/history`, { key: tenant.keys.viewer });
      return res.status === 200 && res.body.history.some((e: { EventType: string }) => e.EventType === 'TaskCompleted') ? res.body : undefined;
    }, 60_000, 'history with a completed task');
    expect(history.history.map((e: { EventType: string }) => e.EventType)).toEqual(expect.arrayContaining(['ExecutionStarted', 'TaskCompleted']));
    expect(JSON.stringify(history.history)).not.toContain('"Input"');
    expect(history.runtimeStatus).toBe('Running');
    expect((await app.call('GET', `${base}/wf-nope/history`, { key: tenant.keys.viewer })).status).toBe(404);
    const other = await setupTenant(app, 'peeking');
    expect((await app.call('GET', `${base}/${workflowId}/history`, { key: other.keys.admin })).status).toBe(404);
  });
});
