import { FactoryApp, startFactoryApp } from '../support/factoryApp';
import { setupProject, setupTenant, TenantSetup } from '../support/factoryScenario';

interface Operation {
  method: string;
  path: string;
  hasBody: boolean;
}

/** SPEC §9: every route tried across tenants leaks nothing; malformed payloads on every route get a 4xx problem, never a 5xx. */
describe('every route of openapi.json', () => {
  let app: FactoryApp;
  let mine: TenantSetup;
  let theirs: TenantSetup;
  let operations: Operation[];

  beforeAll(async () => {
    app = await startFactoryApp();
    mine = await setupTenant(app, 'sweeper');
    theirs = await setupTenant(app, 'swept');
    await setupProject(app, mine, 'p1');
    await setupProject(app, theirs, 'p1');
    const doc = (await app.call<{ paths: Record<string, Record<string, { requestBody?: unknown }>> }>('GET', 'openapi.json', { key: '' })).body;
    operations = Object.entries(doc.paths).flatMap(([path, item]) =>
      Object.entries(item)
        .filter(([method]) => ['get', 'post', 'put', 'patch', 'delete'].includes(method))
        .map(([method, op]) => ({ method: method.toUpperCase(), path, hasBody: op.requestBody !== undefined })),
    );
  });
  afterAll(() => app?.stop());

  const fill = (path: string, tenantId: string) =>
    path
      .replace(/^\/api\//, '')
      .replace('{tenantId}', tenantId)
      .replace('{projectId}', 'p1')
      .replace('{version}', '1')
      .replace(/\{[^}]+\}/g, 'x');

  it('covers the tenant routes', () => {
    expect(operations.filter((o) => o.path.includes('{tenantId}')).length).toBeGreaterThan(25);
  });

  it('answers a key of another tenant with 404 on every tenant route, and never with data', async () => {
    const leaks: string[] = [];
    for (const op of operations.filter((o) => o.path.includes('{tenantId}'))) {
      for (const key of [mine.keys.admin, mine.keys.viewer]) {
        const res = await app.call(op.method, fill(op.path, theirs.tenantId), { key, body: op.hasBody ? {} : undefined });
        if (res.status !== 404) leaks.push(`${op.method} ${op.path} → ${res.status}`);
      }
    }
    expect(leaks).toEqual([]);
  });

  it('answers malformed payloads on every route with a 4xx problem, never a 5xx', async () => {
    const failures: string[] = [];
    const payloads = ['{not json', '[]', '{"unexpected": {"deeply": [1, 2, 3]}}', 'null', '"a string"', '{"limit": -1, "name": 12}'];
    for (const op of operations.filter((o) => o.hasBody)) {
      for (const raw of payloads) {
        const res = await app.call(op.method, fill(op.path, mine.tenantId), { key: mine.keys.admin, raw });
        const problem = (res.headers.get('content-type') ?? '').includes('application/problem+json');
        if (res.status >= 500 || (res.status >= 400 && !problem)) failures.push(`${op.method} ${op.path} ${raw} → ${res.status}`);
      }
    }
    expect(failures).toEqual([]);
  });

  it('answers bad query values and unknown ids with a 4xx problem, never a 5xx', async () => {
    const failures: string[] = [];
    for (const op of operations.filter((o) => o.method === 'GET')) {
      const path = fill(op.path, mine.tenantId);
      for (const query of ['?limit=abc', '?limit=-5&continuation=%%%', '?continuation=bm90LWEtdG9rZW4', '?period=2025-13', '?from=yesterday']) {
        const res = await app.call('GET', path + query, { key: mine.keys.admin });
        if (res.status >= 500) failures.push(`GET ${op.path}${query} → ${res.status}`);
      }
    }
    expect(failures).toEqual([]);
  });
});
