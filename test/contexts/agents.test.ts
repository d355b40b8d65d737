import { FactoryApp, startFactoryApp } from '../support/factoryApp';

interface Agent {
  agentId: string;
  role: string;
  skills: string[];
  modelPolicy: { allowedProviders: string[]; tokenCeiling: number; fallback: string | null; deployment?: string };
}

describe('agents registry routes', () => {
  let app: FactoryApp;
  let viewerKey: string;

  beforeAll(async () => {
    app = await startFactoryApp();
    expect((await app.call('POST', 'tenants', { body: { tenantId: 'acme', name: 'Acme', edition: 'pro' } })).status).toBe(201);
    const key = await app.call<{ secret: string }>('POST', 'tenants/acme/keys', { body: { name: 'viewer', roles: ['Viewer'] } });
    expect(key.status).toBe(201);
    viewerKey = key.body.secret;
  });
  afterAll(() => app?.stop());

  it('answers 401 without credentials', async () => {
    const list = await app.call('GET', 'agents', { key: '' });
    expect(list.status).toBe(401);
    expect(list.headers.get('content-type')).toMatch(/application\/problem\+json/);
    expect((await app.call('GET', 'agents/backend-developer-1', { key: '' })).status).toBe(401);
  });

  it('lists every built-in agent to any authenticated principal, with skills and model policy', async () => {
    const res = await app.call<{ items: Agent[] }>('GET', 'agents', { key: viewerKey });
    expect(res.status).toBe(200);
    const roles = [...new Set(res.body.items.map((agent) => agent.role))];
    expect(roles).toEqual([
      'vision-architect',
      'solution-architect',
      'api-designer',
      'event-driven-architect',
      'backend-developer',
      'qa-engineer',
      'cloud-provisioner',
      'infrastructure-engineer',
      'devops-engineer',
      'release-manager',
    ]);
    const ids = res.body.items.map((agent) => agent.agentId);
    expect(ids).toEqual(expect.arrayContaining(['backend-developer-1', 'backend-developer-2']));
    expect(new Set(ids).size).toBe(ids.length);
    const qa = res.body.items.find((agent) => agent.agentId === 'qa-engineer-1')!;
    expect(qa.skills).toEqual(['GenerateTests', 'ValidateService']);
    expect(qa.modelPolicy).toEqual({ allowedProviders: ['builtin'], tokenCeiling: expect.any(Number), fallback: null });
    const vision = res.body.items.find((agent) => agent.agentId === 'vision-architect-1')!;
    expect(vision.modelPolicy).toMatchObject({ allowedProviders: ['azure-openai', 'builtin'], fallback: 'builtin' });
  });

  it('filters by role and refuses an unknown role', async () => {
    const res = await app.call<{ items: Agent[] }>('GET', 'agents?role=backend-developer', { key: viewerKey });
    expect(res.status).toBe(200);
    expect(res.body.items.map((agent) => agent.agentId)).toEqual(['backend-developer-1', 'backend-developer-2']);
    const bad = await app.call<{ errors: { path: string }[] }>('GET', 'agents?role=wizard', { key: viewerKey });
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((error) => error.path)).toEqual(['query.role']);
  });

  it('reads one agent', async () => {
    const res = await app.call<Agent>('GET', 'agents/api-designer-2');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ agentId: 'api-designer-2', role: 'api-designer', skills: ['EmitOpenApiContract'] });
  });

  it('answers 404 for an unknown agent', async () => {
    const res = await app.call<{ code: string; status: number }>('GET', 'agents/wizard-1', { key: viewerKey });
    expect(res.status).toBe(404);
    expect(res.body.code).toBe('AgentNotFound');
  });

  it('describes both routes in the OpenAPI document', async () => {
    const doc = await app.call<{ paths: Record<string, unknown> }>('GET', 'openapi.json', { key: '' });
    expect(Object.keys(doc.body.paths)).toEqual(expect.arrayContaining(['/api/agents', '/api/agents/{agentId}']));
  });
});
