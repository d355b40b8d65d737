import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fixtureApp, HostProcess, hostBin, spawnHost, tempDataDir, withKey } from './support/hostProcess';
import { startOrchestration, waitForStatus } from './support/durableClient';
import { rawRequest } from './support/rawHttp';

jest.setTimeout(180_000);

const WEBHOOKS = '/runtime/webhooks/durabletask';
/** Every route the host answers itself, and the key level it needs. */
const HOST_ROUTES: [string, string, 'admin' | 'system'][] = [
  ['GET', '/admin/host/status', 'admin'],
  ['GET', '/admin/servicebus/entities', 'admin'],
  ['POST', '/admin/servicebus/sb-basic/messages', 'admin'],
  ['GET', '/admin/servicebus/sb-basic/messages', 'admin'],
  ['GET', '/admin/servicebus/sb-basic/deadletters', 'admin'],
  ['POST', '/admin/servicebus/sb-basic/deadletters/1/resubmit', 'admin'],
  ['PUT', '/admin/servicebus/sb-basic/settings', 'admin'],
  ['POST', `${WEBHOOKS}/orchestrators/HelloSequence`, 'system'],
  ['GET', `${WEBHOOKS}/instances`, 'system'],
  ['GET', `${WEBHOOKS}/instances/nobody`, 'system'],
  ['POST', `${WEBHOOKS}/instances/nobody/raiseEvent/Approval`, 'system'],
  ['POST', `${WEBHOOKS}/instances/nobody/terminate`, 'system'],
  ['POST', `${WEBHOOKS}/instances/nobody/suspend`, 'system'],
  ['POST', `${WEBHOOKS}/instances/nobody/resume`, 'system'],
  ['POST', `${WEBHOOKS}/instances/nobody/rewind`, 'system'],
  ['POST', `${WEBHOOKS}/instances/nobody/restart`, 'system'],
  ['DELETE', `${WEBHOOKS}/instances/nobody`, 'system'],
  ['DELETE', `${WEBHOOKS}/instances?createdTimeFrom=2000-01-01T00:00:00Z`, 'system'],
];

const bodyFor = (method: string, route: string) => (method === 'GET' || method === 'DELETE' ? undefined : route.endsWith('/settings') ? '{"maxDeliveryCount":null}' : route.endsWith('/messages') ? '{"body":1}' : '{}');

describe('host keys on the local host', () => {
  let host: HostProcess;
  beforeAll(async () => {
    host = await spawnHost(fixtureApp('app'), { env: { FACTORY_HOST_ANONYMOUS_MAX_BODY_BYTES: '65536', FACTORY_HOST_ALLOWED_HOSTS: 'factory.test' } });
  });
  afterAll(() => host?.stop());

  const call = (method: string, route: string, headers: Record<string, string> = {}) => fetch(`${host.origin}${route}`, { method, headers, body: bodyFor(method, route) });

  it('closes every route the host lists for itself (including ones added later) to callers without the key', async () => {
    const status = (await (await call('GET', '/admin/host/status', withKey(host.masterKey))).json()) as { hostRoutes: { methods: string[]; route: string; access: string }[] };
    expect(status.hostRoutes.length).toBeGreaterThanOrEqual(HOST_ROUTES.length);
    // A concrete path for each template: every parameter becomes "x" (a long one "1").
    const pathOf = (template: string) => '/' + template.replace(/\{[^}:]+:long\}/g, '1').replace(/\{[^}]+\}/g, 'x');
    for (const r of status.hostRoutes) {
      expect([r.route, r.access]).not.toEqual([r.route, 'anonymous']);
      for (const method of r.methods) {
        for (const headers of [{}, withKey('wrong-key-0123456789abcdef')]) {
          expect([method, r.route, (await call(method, pathOf(r.route), headers)).status]).toEqual([method, r.route, 401]);
        }
      }
    }
  });

  it('refuses every host route without a key and with a wrong key, as a 401 problem', async () => {
    for (const [method, route] of HOST_ROUTES) {
      for (const headers of [{}, withKey('wrong-key-0123456789abcdef'), withKey(host.functionKey)]) {
        const res = await call(method, route, headers);
        expect([method, route, res.status]).toEqual([method, route, 401]);
        expect(res.headers.get('content-type')).toContain('application/problem+json');
        expect(((await res.json()) as { detail: string }).detail).toMatch(/key/);
      }
    }
  });

  it('answers 401, not 404 or 405, for paths of the host namespaces that no route serves, until the key is given', async () => {
    for (const [method, route, key] of [
      ['GET', '/admin/no/such/thing', host.masterKey],
      ['DELETE', '/admin/host/status', host.masterKey],
      ['GET', '/runtime/webhooks/durabletask/nothing-here', host.systemKey],
      ['PATCH', '/ADMIN/servicebus/entities', host.masterKey],
    ] as const) {
      for (const headers of [{}, withKey('wrong-key-0123456789abcdef')]) {
        expect([method, route, (await call(method, route, headers)).status]).toEqual([method, route, 401]);
      }
      expect([404, 405]).toContain((await call(method, route, withKey(key))).status);
    }
  });

  it('opens each route to its key (header or code=), and the master key opens all of them', async () => {
    for (const [method, route, level] of HOST_ROUTES) {
      const own = level === 'admin' ? host.masterKey : host.systemKey;
      const viaHeader = await call(method, route, withKey(own));
      const viaCode = await call(method, `${route}${route.includes('?') ? '&' : '?'}code=${own}`);
      const viaMaster = await call(method, route, withKey(host.masterKey));
      for (const res of [viaHeader, viaCode, viaMaster]) {
        expect([method, route, res.status === 401 || res.status === 500]).toEqual([method, route, false]); // rewind/restart answer 501
      }
    }
    // rpcBaseUrl carries the key as a path segment: only the right one opens the route.
    expect((await call('GET', `${WEBHOOKS}/_key/${host.systemKey}/instances`)).status).toBe(200);
    expect((await call('GET', `${WEBHOOKS}/_key/wrong-key-0123456789abcdef/instances`)).status).toBe(401);
    expect((await call('GET', `${WEBHOOKS}/_key/${host.systemKey}/../../../admin/host/status`)).status).not.toBe(200);
    // The system key does not open admin routes.
    expect((await call('GET', '/admin/servicebus/entities', withKey(host.systemKey))).status).toBe(401);
  });

  it('honours authLevel: function key or master key for function, master key only for admin, anonymous open', async () => {
    expect((await call('GET', '/api/keyed/function')).status).toBe(401);
    expect((await call('GET', '/api/keyed/function', withKey(host.systemKey))).status).toBe(401);
    expect(await (await call('GET', '/api/keyed/function', withKey(host.functionKey))).text()).toBe('function-level');
    expect(await (await call('GET', `/api/keyed/function?code=${host.masterKey}`)).text()).toBe('function-level');
    expect((await call('GET', '/api/keyed/admin', withKey(host.functionKey))).status).toBe(401);
    expect(await (await call('GET', '/api/keyed/admin', withKey(host.masterKey))).text()).toBe('admin-level');
    expect((await call('GET', '/api/defaultRoute')).status).toBe(200);
  });

  it('does not let a keyless request pass an approval wait (the text/plain raiseEvent a web page can send)', async () => {
    const started = await startOrchestration(host, 'ApprovalWithTimeout', { timeoutMs: 120_000 });
    await waitForStatus(started.statusQueryGetUri, (s) => (s.customStatus as { stage?: string })?.stage === 'waiting', 120_000);
    const forged = await fetch(`${host.origin}${WEBHOOKS}/instances/${started.id}/raiseEvent/Approval`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: JSON.stringify({ approved: true }),
    });
    expect(forged.status).toBe(401);
    const list = await fetch(`${host.origin}${WEBHOOKS}/instances`);
    expect(list.status).toBe(401);
    // The URLs the client handed out carry the system key and keep working.
    expect(started.statusQueryGetUri).toContain(`code=${host.systemKey}`);
    expect((await fetch(started.sendEventPostUri.replace('{eventName}', 'Approval'), { method: 'POST', body: '"yes"' })).status).toBe(202);
    const done = await waitForStatus(started.statusQueryGetUri, (s) => s.runtimeStatus === 'Completed', 120_000);
    expect(done.output).toEqual({ decision: 'yes' });
  });

  it('refuses a foreign Host (DNS rebinding) with 421 and serves loopback names and configured ones', async () => {
    const get = (hostHeader: string) => rawRequest(host.port, `GET /api/defaultRoute HTTP/1.1\r\nHost: ${hostHeader}\r\nConnection: close`);
    const foreign = await get(`attacker.example:${host.port}`);
    expect(foreign.status).toBe(421);
    expect(foreign.headers['content-type']).toContain('application/problem+json');
    for (const ok of [`localhost:${host.port}`, `127.0.0.1:${host.port}`, `[::1]:${host.port}`, 'factory.test', 'LOCALHOST']) {
      expect([ok, (await get(ok)).status]).toEqual([ok, 200]);
    }
  });

  it('answers a malformed Host with a 400 problem, never a 500 or an empty body', async () => {
    for (const bad of ['[', 'a b', 'x:99999', '[::1', '%zz', 'localhost:', 'localhost:-1', '[zz]:80', 'a..b']) {
      for (const route of ['/api/defaultRoute', '/admin/host/status']) {
        const res = await rawRequest(host.port, `GET ${route} HTTP/1.1\r\nHost: ${bad}\r\nConnection: close`);
        expect([bad, route, res.status]).toEqual([bad, route, 400]);
        expect(res.headers['content-type']).toContain('application/problem+json');
        expect(JSON.parse(res.body)).toMatchObject({ status: 400, title: 'Bad Request' });
      }
    }
  });

  it('refuses a keyless request to a keyed route before reading its body, and caps anonymous bodies while streaming', async () => {
    // Content-Length of 50 MB that is never sent: the answer comes without the body.
    const keyless = await rawRequest(host.port, `POST /admin/servicebus/sb-basic/messages HTTP/1.1\r\nHost: localhost\r\nContent-Length: 50000000`);
    expect(keyless.status).toBe(401);
    const declared = await rawRequest(host.port, `POST /api/echo/books/1 HTTP/1.1\r\nHost: localhost\r\nContent-Length: 50000000`);
    expect(declared.status).toBe(413);
    expect(declared.headers['content-type']).toContain('application/problem+json');
    const big = 'x'.repeat(100_000);
    const chunked = await rawRequest(host.port, `POST /api/echo/books/1 HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: chunked`, `${big.length.toString(16)}\r\n${big}\r\n0\r\n\r\n`);
    expect(chunked.status).toBe(413);
    // A route that needs a key gets the host's (larger) limit once the key is checked.
    const keyed = await fetch(`${host.origin}${WEBHOOKS}/orchestrators/HelloSequence`, { method: 'POST', headers: withKey(host.systemKey), body: JSON.stringify(big) });
    expect(keyed.status).toBe(202);
  });
});

describe('generated host keys', () => {
  const noKeys = { FACTORY_HOST_MASTER_KEY: '', FACTORY_HOST_SYSTEM_KEY: '', FACTORY_HOST_FUNCTION_KEY: '' };
  const printed = (output: string[], label: string) => output.map((l) => new RegExp(`^\\s+${label}.*:\\s+(\\S+)$`).exec(l)?.[1]).find(Boolean);

  it('generates keys once per data dir, owner-only, prints them at first start and shows them with `factory-host keys`', async () => {
    const dataDir = path.join(tempDataDir(), 'data');
    const first = await spawnHost(fixtureApp('app'), { dataDir, env: noKeys });
    let masterKey: string | undefined;
    let systemKey: string | undefined;
    try {
      masterKey = printed(first.output, 'master key');
      systemKey = printed(first.output, 'system key');
      expect(masterKey).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(systemKey).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect((await fetch(`${first.origin}/admin/host/status`, { headers: withKey(masterKey!) })).status).toBe(200);
      expect((await fetch(`${first.origin}/admin/host/status`)).status).toBe(401);
    } finally {
      await first.stop();
    }
    expect(fs.statSync(path.join(dataDir, 'host-keys.json')).mode & 0o777).toBe(0o600);
    expect(fs.statSync(dataDir).mode & 0o777).toBe(0o700);

    const shown = execFileSync(process.execPath, [hostBin, 'keys', fixtureApp('app'), '--data-dir', dataDir], { env: { ...process.env, ...noKeys } }).toString();
    expect(shown).toContain(masterKey!);
    expect(shown).toContain(systemKey!);

    const second = await spawnHost(fixtureApp('app'), { dataDir, env: noKeys });
    try {
      expect(printed(second.output, 'master key')).toBeUndefined(); // shown once
      expect((await fetch(`${second.origin}${WEBHOOKS}/instances`, { headers: withKey(systemKey!) })).status).toBe(200);
    } finally {
      await second.stop();
    }
  });

  it('refuses to start with a configured key that is too short, naming the setting', async () => {
    await expect(spawnHost(fixtureApp('app'), { env: { FACTORY_HOST_MASTER_KEY: 'short' } })).rejects.toThrow('FACTORY_HOST_MASTER_KEY');
  });
});
