import { HostProcess, repoRoot, spawnHost } from './support/hostProcess';

describe('the factory app on the local host', () => {
  let host: HostProcess;
  beforeAll(async () => {
    host = await spawnHost(repoRoot);
  });
  afterAll(() => host?.stop());

  it('answers GET /api/health and says where its data lives', async () => {
    const res = await fetch(`${host.origin}/api/health`);
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body).toMatchObject({ status: 'ok', runtime: 'local', dataDir: host.dataDir });
  });

  it('answers an unknown route with a problem document', async () => {
    const res = await fetch(`${host.origin}/api/nothing-here`);
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
  });
});
