import fs from 'node:fs';
import path from 'node:path';
import { eventually, fixtureApp, HostProcess, spawnHost } from './support/hostProcess';

// Host tests wait on conditions with their own deadlines; this only bounds a hung test on a loaded machine.
jest.setTimeout(180_000);

describe('HTTP triggers on the local host', () => {
  let host: HostProcess;
  beforeAll(async () => {
    host = await spawnHost(fixtureApp('app'), { env: { FACTORY_HOST_MAX_BODY_BYTES: '1024' } });
  });
  afterAll(() => host?.stop());

  it('hands the handler the real HttpRequest: params with constraints, query, headers, body', async () => {
    const res = await fetch(`${host.origin}/api/echo/Books/42?x=1&y=two`, { method: 'POST', headers: { 'x-probe': 'p' }, body: 'hello' });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { traceParent: string };
    expect(body).toMatchObject({ method: 'POST', params: { category: 'Books', id: '42' }, query: { x: '1', y: 'two' }, header: 'p', body: 'hello', functionName: 'echo' });
    expect(body.traceParent).toMatch(/^00-[\da-f]{32}-[\da-f]{16}-01$/);
  });

  it('treats an optional parameter as optional and enforces constraints', async () => {
    expect(await (await fetch(`${host.origin}/api/echo/books`)).json()).toMatchObject({ params: { category: 'books' } });
    expect((await fetch(`${host.origin}/api/echo/books/notanint`)).status).toBe(404);
    expect((await fetch(`${host.origin}/api/echo/b00ks/1`)).status).toBe(404);
  });

  it('prefers a literal route over a parameter route and serves catch-alls', async () => {
    expect(await (await fetch(`${host.origin}/api/echo/special/7`)).text()).toBe('special');
    expect(await (await fetch(`${host.origin}/api/files/a/b/c.txt`)).text()).toBe('path=a/b/c.txt');
  });

  it('uses the function name as the default route', async () => {
    expect(await (await fetch(`${host.origin}/api/defaultRoute`)).json()).toEqual({ ok: true });
  });

  it('returns status, headers and cookies of an HttpResponse', async () => {
    const res = await fetch(`${host.origin}/api/cookies`);
    expect(res.status).toBe(201);
    expect(res.headers.get('x-custom')).toBe('yes');
    expect(res.headers.get('set-cookie')).toBe('session=abc; Path=/; Max-Age=60; HttpOnly; SameSite=Strict');
    expect(await res.text()).toBe('made');
  });

  it('answers 405 for a method the route does not take, 500 for a throwing handler', async () => {
    const wrong = await fetch(`${host.origin}/api/cookies`, { method: 'DELETE' });
    expect(wrong.status).toBe(405);
    expect(wrong.headers.get('allow')).toContain('GET');
    expect((await fetch(`${host.origin}/api/fails`)).status).toBe(500);
  });

  it('refuses an oversized body with 413 problem+json', async () => {
    const res = await fetch(`${host.origin}/api/echo/books/1`, { method: 'POST', body: 'x'.repeat(4096) });
    expect(res.status).toBe(413);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
  });

  it('writes storageBlob outputs under the data dir and reports an unimplemented binding once', async () => {
    expect((await fetch(`${host.origin}/api/reports`, { method: 'POST', body: 'quarterly' })).status).toBe(201);
    const dir = path.join(host.dataDir, 'blobs', 'reports');
    const files = fs.readdirSync(dir);
    expect(files).toHaveLength(1);
    expect(fs.readFileSync(path.join(dir, files[0]), 'utf8')).toBe('quarterly');
    const reports = host.output.filter((l) => l.includes('binding type not implemented'));
    expect(reports).toHaveLength(1);
    expect(reports[0]).toContain('cosmosDB');
  });

  it('logs one JSON line per invocation with function, invocation id, duration, outcome and trace id', async () => {
    await fetch(`${host.origin}/api/defaultRoute`, { headers: { traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01' } });
    // The line is written after the response: wait until it has reached the host's stdout.
    const line = await eventually(async () =>
      host.output
        .map((l) => { try { return JSON.parse(l); } catch { return undefined; } })
        .find((r) => r?.message === 'invocation' && r.traceId === '0af7651916cd43dd8448eb211c80319c'),
      60_000, 'the invocation log line');
    expect(line).toMatchObject({ function: 'defaultRoute', outcome: 'Succeeded' });
    expect(typeof line.invocationId).toBe('string');
    expect(typeof line.durationMs).toBe('number');
  });
});
