import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { HttpRequest, InvocationContext, type HttpResponseInit } from '@azure/functions';
import { z } from 'zod';
import { ApiKeyService } from '../../shared/platform/auth/apiKeyService';
import { createAuthenticator } from '../../shared/platform/auth/authenticator';
import { Conflict } from '../../shared/platform/http/errors';
import { toHttpHandler } from '../../shared/platform/http/httpHandler';
import { defineRoute, type RouteDeps } from '../../shared/platform/http/route';
import { SqliteDocumentStore } from '../../shared/platform/store';
import { createJsonLinesTelemetry } from '../../shared/platform/telemetry/jsonLinesTelemetry';

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'http-route-'));
const logLines: string[] = [];
let store: SqliteDocumentStore;
let deps: RouteDeps;
let keys: { architect: string; viewer: string; otherTenant: string; admin: string };

beforeAll(async () => {
  store = SqliteDocumentStore.open(dataDir);
  const apiKeys = new ApiKeyService(store);
  await apiKeys.ensureBootstrapAdminKey('platform-admin-key-for-tests-0001');
  keys = {
    architect: (await apiKeys.create('acme', { name: 'a', roles: ['Architect'] })).secret,
    viewer: (await apiKeys.create('acme', { name: 'v', roles: ['Viewer'] })).secret,
    otherTenant: (await apiKeys.create('globex', { name: 'g', roles: ['Architect'] })).secret,
    admin: 'platform-admin-key-for-tests-0001',
  };
  deps = { authenticator: createAuthenticator({ apiKeys }), telemetry: createJsonLinesTelemetry({ write: (line) => logLines.push(line) }), maxBodyBytes: 2048 };
});
afterAll(async () => {
  await store.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

const moduleSchema = z.object({ name: z.string().min(1), dependsOn: z.array(z.string()).default([]) });
const createBlueprint = defineRoute({
  method: 'POST',
  path: 'tenants/{tenantId}/projects/{projectId}/blueprints',
  summary: 'Submit a blueprint',
  tags: ['blueprints'],
  auth: { roles: ['Architect'] },
  params: z.object({ tenantId: z.string(), projectId: z.string().regex(/^[a-z][a-z0-9-]*$/) }),
  query: z.object({ dryRun: z.enum(['true', 'false']).optional() }),
  body: z.object({ name: z.string(), spec: z.object({ modules: z.array(moduleSchema).min(1) }) }),
  responses: { 201: z.object({ version: z.number() }) },
  handler: async ({ params, body, principal, traceId }) => {
    if (body.name === 'boom') throw new Error('database password is hunter2');
    if (body.name === 'taken') throw new Conflict('That name is taken.');
    return { status: 201, body: { version: 1, tenant: params.tenantId, modules: body.spec.modules.length, by: principal.id, traceId } };
  },
});
const handler = toHttpHandler(createBlueprint, () => deps);

async function call(options: { key?: string; tenant?: string; project?: string; body?: string; query?: Record<string, string>; headers?: Record<string, string> }) {
  const tenant = options.tenant ?? 'acme';
  const project = options.project ?? 'shop';
  const request = new HttpRequest({
    method: 'POST',
    url: `http://localhost:7071/api/tenants/${tenant}/projects/${project}/blueprints`,
    params: { tenantId: tenant, projectId: project },
    query: options.query ?? {},
    headers: { 'content-type': 'application/json', ...(options.key ? { authorization: `Bearer ${options.key}` } : {}), ...options.headers },
    ...(options.body !== undefined ? { body: { string: options.body } } : {}),
  });
  const response: HttpResponseInit = await handler(request, new InvocationContext({ functionName: createBlueprint.operationId, logHandler: () => undefined }));
  const headers = new Headers(response.headers as Record<string, string>);
  const text = response.jsonBody !== undefined ? JSON.stringify(response.jsonBody) : typeof response.body === 'string' ? response.body : '';
  return { status: response.status, headers, body: text ? JSON.parse(text) : undefined };
}

const validBody = JSON.stringify({ name: 'shop', spec: { modules: [{ name: 'orders' }] } });

describe('route wrapper', () => {
  it('hands validated input and the principal to the handler', async () => {
    const response = await call({ key: keys.architect, body: validBody });
    expect(response.status).toBe(201);
    expect(response.body).toMatchObject({ version: 1, tenant: 'acme', modules: 1, by: expect.stringMatching(/^apikey:acme\./) });
    expect(response.headers.get('x-trace-id')).toBe(response.body.traceId);
  });

  it('continues the caller trace from traceparent', async () => {
    const response = await call({ key: keys.architect, body: validBody, headers: { traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01' } });
    expect(response.headers.get('x-trace-id')).toBe('4bf92f3577b34da6a3ce929d0e0e4736');
  });

  it('reports every validation issue with its path in one problem', async () => {
    const body = JSON.stringify({ spec: { modules: [{ name: '' }, { dependsOn: [1] }] } });
    const response = await call({ key: keys.architect, project: 'Bad_Project', query: { dryRun: 'maybe' }, body });
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toBe('application/problem+json');
    expect(response.body).toMatchObject({ status: 400, code: 'ValidationFailed', traceId: response.headers.get('x-trace-id') });
    expect(response.body.errors.map((e: { path: string }) => e.path).sort()).toEqual(
      ['body.name', 'body.spec.modules[0].name', 'body.spec.modules[1].dependsOn[0]', 'body.spec.modules[1].name', 'params.projectId', 'query.dryRun'].sort(),
    );
  });

  it('answers malformed JSON with a 400 at path ""', async () => {
    const response = await call({ key: keys.architect, body: '{"name": ' });
    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({ code: 'MalformedBody', errors: [{ path: '' }] });
  });

  it('answers a body over the limit with 413', async () => {
    const big = JSON.stringify({ name: 'x'.repeat(4096), spec: { modules: [{ name: 'a' }] } });
    const response = await call({ key: keys.architect, body: big });
    expect(response.status).toBe(413);
    expect(response.body).toMatchObject({ code: 'PayloadTooLarge', traceId: expect.any(String) });
  });

  it('answers missing and unknown credentials with 401', async () => {
    for (const key of [undefined, 'sf_acme.0000000000000000_' + '00'.repeat(24)]) {
      const response = await call({ key, body: validBody });
      expect(response.status).toBe(401);
      expect(response.headers.get('www-authenticate')).toBe('Bearer');
    }
  });

  it('answers a member without the role with 403', async () => {
    const response = await call({ key: keys.viewer, body: validBody });
    expect(response.status).toBe(403);
    expect(response.body.code).toBe('Forbidden');
  });

  it('answers a principal of another tenant with 404, even before validating its input', async () => {
    for (const body of [validBody, '{bad json']) {
      const response = await call({ key: keys.otherTenant, body });
      expect(response.status).toBe(404);
      expect(JSON.stringify(response.body)).not.toContain('acme');
    }
  });

  it('lets PlatformAdmin act on any tenant', async () => {
    const response = await call({ key: keys.admin, tenant: 'globex', body: validBody });
    expect(response.status).toBe(201);
    expect(response.body.tenant).toBe('globex');
  });

  it('maps typed errors from the handler', async () => {
    const response = await call({ key: keys.architect, body: JSON.stringify({ name: 'taken', spec: { modules: [{ name: 'a' }] } }) });
    expect(response.status).toBe(409);
    expect(response.body).toMatchObject({ code: 'Conflict', detail: 'That name is taken.' });
  });

  it('turns an unknown error into a 500 that exposes only the traceId, and logs it', async () => {
    logLines.length = 0;
    const response = await call({ key: keys.architect, body: JSON.stringify({ name: 'boom', spec: { modules: [{ name: 'a' }] } }) });
    expect(response.status).toBe(500);
    const traceId = response.headers.get('x-trace-id');
    expect(response.body).toEqual({ type: expect.any(String), title: 'Internal Server Error', status: 500, detail: 'An unexpected error occurred.', code: 'InternalError', traceId });
    expect(JSON.stringify(response.body)).not.toContain('hunter2');
    const logged = logLines.map((line) => JSON.parse(line)).find((line) => line.level === 'error');
    expect(logged).toMatchObject({ traceId, message: 'database password is hunter2' });
  });
});
