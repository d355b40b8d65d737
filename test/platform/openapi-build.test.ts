import { z } from 'zod';
import { HttpRequest, InvocationContext } from '@azure/functions';
import { getOpenApiDocument } from '../../shared/platform/http/openApiDocument';
import { defineRoute, registerRoute, toOperationId, type RouteDeps } from '../../shared/platform/http/route';
import { buildOpenApi, toOpenApiPath } from '../../shared/platform/http/openapi';

const project = z.object({ id: z.string(), name: z.string(), createdAt: z.iso.datetime() }).meta({ id: 'Project' });
const routes = [
  defineRoute({
    method: 'GET',
    path: 'tenants/{tenantId}/projects',
    summary: 'List projects',
    tags: ['projects'],
    auth: { roles: ['Viewer'] },
    query: z.object({ limit: z.coerce.number().int().min(1).max(100).optional(), continuation: z.string().optional() }),
    responses: { 200: z.object({ items: z.array(project), continuation: z.string().optional() }) },
    handler: async () => ({ body: { items: [] } }),
  }),
  defineRoute({
    method: 'POST',
    path: 'tenants/{tenantId}/projects',
    summary: 'Create a project',
    tags: ['projects'],
    auth: { roles: ['TenantAdmin'] },
    body: z.object({ name: z.string().min(1) }),
    responses: { 201: project },
    handler: async () => ({ status: 201 }),
  }),
  defineRoute({
    method: 'DELETE',
    path: 'tenants/{tenantId}/projects/{projectId:regex(^[a-z-]+$)}',
    summary: 'Delete a project',
    tags: ['projects'],
    auth: { roles: ['TenantAdmin'] },
    responses: { 204: 'Deleted' },
    handler: async () => ({}),
  }),
  defineRoute({
    method: 'POST',
    path: 'tenants/{tenantId}/projects/{projectId}/blueprints',
    summary: 'Submit a blueprint',
    tags: ['blueprints'],
    auth: { roles: ['Architect'] },
    bodyFormat: 'json-or-yaml',
    body: z.object({ name: z.string() }),
    responses: { 201: z.object({ version: z.number() }) },
    handler: async () => ({ status: 201 }),
  }),
  defineRoute({ method: 'GET', path: 'agents', summary: 'List agents', tags: ['agents'], auth: 'anonymous', responses: { 200: z.array(z.string()) }, handler: async () => ({ body: [] }) }),
];

/** Any JSON shape, indexable at every level (what the assertions walk). */
interface Loose {
  [key: string]: Loose;
}

function collectRefs(value: unknown, out: string[] = []): string[] {
  if (Array.isArray(value)) value.forEach((v) => collectRefs(v, out));
  else if (value && typeof value === 'object') {
    for (const [key, field] of Object.entries(value)) {
      if (key === '$ref' && typeof field === 'string') out.push(field);
      else collectRefs(field, out);
    }
  }
  return out;
}

describe('buildOpenApi', () => {
  const doc = buildOpenApi(routes);

  it('produces an OpenAPI 3.1 document with every route', () => {
    expect(doc.openapi).toBe('3.1.0');
    expect(doc.info).toMatchObject({ title: expect.any(String), version: expect.any(String) });
    const operations = Object.entries(doc.paths).flatMap(([p, ops]) => Object.keys(ops).map((method) => `${method.toUpperCase()} ${p}`));
    expect(operations.sort()).toEqual(routes.map((r) => `${r.method} /api/${toOpenApiPath(r.path)}`).sort());
    const ids = routes.map((r) => r.operationId);
    expect(new Set(ids).size).toBe(ids.length);
    expect(JSON.parse(JSON.stringify(doc))).toEqual(doc);
  });

  it('resolves every $ref inside the document', () => {
    for (const ref of collectRefs(doc)) {
      expect(ref).toMatch(/^#\/components\/schemas\//);
      expect(doc.components.schemas).toHaveProperty(ref.split('/').pop()!);
    }
    expect(JSON.stringify(doc)).not.toContain('$defs');
    expect(JSON.stringify(doc)).not.toContain('"$schema"');
  });

  it('declares path and query parameters, bodies and problem responses', () => {
    const list = doc.paths['/api/tenants/{tenantId}/projects'].get as Loose;
    expect(list.parameters).toEqual(
      expect.arrayContaining([
        { name: 'tenantId', in: 'path', required: true, schema: { type: 'string' } },
        expect.objectContaining({ name: 'limit', in: 'query', required: false }),
      ]),
    );
    expect(list.security).toEqual([{ bearer: [] }]);
    expect(list.responses['401'].content['application/problem+json'].schema).toEqual({ $ref: '#/components/schemas/ProblemDetails' });
    const create = doc.paths['/api/tenants/{tenantId}/projects'].post as Loose;
    expect(create.requestBody).toMatchObject({ required: true, content: { 'application/json': { schema: { type: 'object' } } } });
    expect(create.responses['201'].content['application/json'].schema).toEqual({ $ref: '#/components/schemas/Project' });
    expect(create.responses['413']).toBeDefined();
    const blueprint = doc.paths['/api/tenants/{tenantId}/projects/{projectId}/blueprints'].post as Loose;
    expect(blueprint.requestBody.content).toHaveProperty('application/yaml');
    const agents = doc.paths['/api/agents'].get as Loose;
    expect(agents.security).toEqual([]);
    expect(agents.responses).not.toHaveProperty('401');
    expect(doc.components.securitySchemes.bearer).toMatchObject({ type: 'http', scheme: 'bearer' });
    expect(doc.components.schemas.ProblemDetails).toMatchObject({ type: 'object', required: expect.arrayContaining(['type', 'title', 'status', 'traceId']) });
  });

  it('derives operation ids and OpenAPI paths from route templates', () => {
    expect(toOperationId('GET', 'tenants/{tenantId}/projects/{projectId}')).toBe('getTenantsProjectsByProjectId');
    expect(toOperationId('POST', 'tenants/{tenantId}/workflows/{id}/cancel')).toBe('postTenantsWorkflowsCancel');
    expect(toOpenApiPath('tenants/{tenantId}/items/{id:int?}')).toBe('tenants/{tenantId}/items/{id}');
  });
});

describe('GET /api/openapi.json', () => {
  it('serves the routes registered in this process', async () => {
    const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    const deps = {} as RouteDeps;
    for (const route of routes) registerRoute(route, deps);
    expect(() => registerRoute(routes[0], deps)).toThrow(/registered twice/);
    warn.mockRestore();
    const response = await getOpenApiDocument(new HttpRequest({ method: 'GET', url: 'http://localhost/api/openapi.json' }), new InvocationContext());
    expect(response.status).toBe(200);
    expect(response.jsonBody).toEqual(buildOpenApi(routes));
  });
});
