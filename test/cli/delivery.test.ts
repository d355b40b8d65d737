import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { CliUser } from './cliProcess';

/**
 * The delivery commands against the factory's delivery routes (shared/delivery/handlers.ts,
 * runtimeHandlers.ts): `GET …/repository/archive?ref=`, `POST|GET …/releases`, `GET …/releases/{id}`,
 * `POST …/releases/{id}/promotions`,
 * `POST …/environments/{env}/drift-scans`, `GET …/drift`. A real release needs a bootstrapped project
 * (minutes), so a stand-in answers here with the routes' request and response schemas: the release
 * body is the strict `NewRelease` ({ref, environments}) and anything else is a 400.
 */
describe('factory repo, release and drift against the documented routes', () => {
  let server: http.Server;
  let user: CliUser;
  const seen: string[] = [];
  const bodies: Record<string, unknown>[] = [];
  let tarball: Buffer;
  const COMMIT = 'c0ffee0000000000000000000000000000000001';
  /** A `Release` view (shared/delivery/schemas.ts releaseView). */
  const release = (releaseId: string, commit: string, environments: string[]) => ({
    releaseId,
    version: '1.0.0',
    status: 'Running',
    manifest: { commit, blueprintVersion: 1, modules: [], environments: environments.map((name, order) => ({ name, order, approvals: [] })) },
    traceId: '0af7651916cd43dd8448eb211c80319c',
    createdBy: 'key:acme.01',
    createdAt: '2026-01-01T00:00:00.000Z',
  });

  beforeAll(async () => {
    const tree = fs.mkdtempSync(path.join(os.tmpdir(), 'repo-tree-'));
    fs.mkdirSync(path.join(tree, 'booking-service'));
    fs.writeFileSync(path.join(tree, 'booking-service', 'openapi.yaml'), 'openapi: 3.1.0\n');
    const archive = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'repo-archive-')), 'repo.tar.gz');
    execFileSync('tar', ['-czf', archive, '-C', tree, '.']);
    tarball = fs.readFileSync(archive);
    server = http.createServer((req, res) => {
      seen.push(`${req.method} ${req.url} ${req.headers.authorization}`);
      const url = new URL(req.url!, 'http://x');
      if (url.pathname === '/api/tenants/acme/projects/shop/repository/archive') {
        res.writeHead(200, { 'content-type': 'application/gzip' });
        res.end(tarball);
      } else if (url.pathname === '/api/tenants/acme/projects/shop/releases' && req.method === 'POST') {
        let raw = '';
        req.on('data', (chunk) => (raw += chunk));
        req.on('end', () => {
          const body = JSON.parse(raw || '{}') as Record<string, unknown>;
          bodies.push(body);
          const extra = Object.keys(body).filter((k) => k !== 'ref' && k !== 'environments');
          if (extra.length) {
            res.writeHead(400, { 'content-type': 'application/problem+json' });
            res.end(JSON.stringify({ status: 400, title: 'Bad Request', code: 'ValidationFailed', errors: extra.map((k) => ({ path: `body.${k}`, message: 'Unrecognized key' })) }));
            return;
          }
          const environments = (body.environments as string[] | undefined) ?? ['dev', 'staging', 'production'];
          res.writeHead(202, { 'content-type': 'application/json', location: '/api/tenants/acme/projects/shop/releases/rel-2' });
          res.end(JSON.stringify(release('rel-2', (body.ref as string) ?? 'main', environments)));
        });
      } else if (url.pathname === '/api/tenants/acme/projects/shop/releases/rel-1/promotions' && req.method === 'POST') {
        let raw = '';
        req.on('data', (chunk) => (raw += chunk));
        req.on('end', () => {
          const body = JSON.parse(raw || '{}') as Record<string, unknown>;
          bodies.push(body);
          if (body.environment !== 'staging') {
            res.writeHead(409, { 'content-type': 'application/problem+json' });
            res.end(JSON.stringify({ status: 409, title: 'Conflict', code: 'PromotionOutOfOrder', detail: `Release 'rel-1' must be promoted to staging before ${String(body.environment)}.` }));
            return;
          }
          res.writeHead(202, { 'content-type': 'application/json', location: '/api/tenants/acme/projects/shop/releases/rel-1' });
          res.end(JSON.stringify(release('rel-1', COMMIT, ['dev', 'staging'])));
        });
      } else if (url.pathname === '/api/tenants/acme/projects/shop/releases/rel-1' && req.method === 'GET') {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify(release('rel-1', COMMIT, ['dev'])));
      } else if (url.pathname === '/api/tenants/acme/projects/shop/environments/staging/drift-scans' && req.method === 'POST') {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ environment: 'staging', scannedAt: '2026-01-01T00:00:00.000Z', findings: [], opened: [], resolved: [] }));
      } else if (url.pathname === '/api/tenants/acme/projects/shop/environments/dev' && req.method === 'GET') {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ name: 'dev', order: 1, config: {}, secrets: {}, selfHeal: true, replicas: {}, provider: 'local', desired: { releaseId: 'rel-1', commit: COMMIT, modules: [] }, live: [{ module: 'BookingService', version: '1.0.0+abc', endpoint: 'http://127.0.0.1:40001', replicas: [{ id: 'r1', ready: true }, { id: 'r2', ready: false }] }] }));
      } else if (url.pathname === '/api/tenants/acme/projects/shop/environments/dev/stop' && req.method === 'POST') {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ stopped: 2, live: [] }));
      } else if (url.pathname === '/api/tenants/acme/projects/shop/drift' && req.method === 'GET') {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ items: [{ findingId: 'f1', environment: url.searchParams.get('environment') ?? 'dev', module: 'booking-service', kind: 'missing', expected: { replicas: 1 }, actual: null, status: url.searchParams.get('status') ?? 'open', detectedAt: 'x', lastSeenAt: 'x' }] }));
      } else {
        res.writeHead(404, { 'content-type': 'application/problem+json' });
        res.end(JSON.stringify({ status: 404, title: 'Not Found', detail: `No route answers ${req.method} ${url.pathname}.`, code: 'RouteNotFound' }));
      }
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    user = new CliUser({ FACTORY_URL: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, FACTORY_KEY: `sf_acme.01_${'a'.repeat(48)}`, FACTORY_PROJECT: 'shop' });
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('archives and clones the repository tree at a ref', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cli-repo-'));
    const archived = await user.run(['repo', 'archive', '--ref', 'workflow/wf-1', '-o', 'json'], { cwd: dir });
    expect(archived.code).toBe(0);
    expect(JSON.parse(archived.stdout)).toMatchObject({ file: 'shop-workflow-wf-1.tar.gz', bytes: tarball.length });
    expect(fs.readFileSync(path.join(dir, 'shop-workflow-wf-1.tar.gz')).equals(tarball)).toBe(true);
    expect(seen).toContain(`GET /api/tenants/acme/projects/shop/repository/archive?ref=workflow%2Fwf-1 Bearer sf_acme.01_${'a'.repeat(48)}`);

    const cloned = await user.run(['repo', 'clone', 'shop-clone'], { cwd: dir });
    expect(cloned.code).toBe(0);
    expect(fs.readFileSync(path.join(dir, 'shop-clone', 'booking-service', 'openapi.yaml'), 'utf8')).toBe('openapi: 3.1.0\n');
    const again = await user.run(['repo', 'clone', 'shop-clone'], { cwd: dir });
    expect(again.code).toBe(2);
  });

  it('creates a release with the NewRelease body and promotes a release through the promote route', async () => {
    const created = await user.run(['release', 'create', '--ref', 'main', '--environments', 'dev,staging', '-o', 'json']);
    expect(created.code).toBe(0);
    expect(bodies.at(-1)).toEqual({ ref: 'main', environments: ['dev', 'staging'] });
    expect(JSON.parse(created.stdout)).toMatchObject({ releaseId: 'rel-2', status: 'Running' });
    const promoted = await user.run(['release', 'promote', 'rel-1', '--to', 'staging', '-o', 'json']);
    expect(promoted.code).toBe(0);
    expect(bodies.at(-1)).toEqual({ environment: 'staging' });
    expect(seen.at(-1)).toMatch(/^POST \/api\/tenants\/acme\/projects\/shop\/releases\/rel-1\/promotions /);
    expect(JSON.parse(promoted.stdout)).toMatchObject({ releaseId: 'rel-1', manifest: { commit: COMMIT, environments: [{ name: 'dev' }, { name: 'staging' }] } });
    const skipped = await user.run(['release', 'promote', 'rel-1', '--to', 'production']);
    expect(skipped.code).not.toBe(0);
    expect(skipped.stderr).toMatch(/must be promoted to staging before production/);
  });

  it('shows where an environment\'s services answer, stops it, and downloads a zip archive', async () => {
    const shown = await user.run(['env', 'show', 'dev']);
    expect(shown.code).toBe(0);
    expect(shown.stdout).toBe('dev: release rel-1; self-heal on\n  BookingService  http://127.0.0.1:40001  1/2 ready  1.0.0+abc\n');
    const stopped = await user.run(['env', 'stop', 'dev']);
    expect(stopped.code).toBe(0);
    expect(stopped.stdout).toContain('Stopped 2 replicas of dev; it stays stopped until the next release.');
    expect(seen.at(-1)).toMatch(/^POST \/api\/tenants\/acme\/projects\/shop\/environments\/dev\/stop /);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cli-zip-'));
    expect((await user.run(['repo', 'archive', '--format', 'zip', '--file', 'x.zip'], { cwd: dir })).code).toBe(0);
    expect(seen.at(-1)).toMatch(/^GET \/api\/tenants\/acme\/projects\/shop\/repository\/archive\?format=zip /);
    expect((await user.run(['repo', 'archive', '--format', 'rar'], { cwd: dir })).code).toBe(2);
  });

  it('scans an environment for drift, lists findings, and reports missing routes as not available', async () => {
    const scan = await user.run(['drift', 'scan', '--environment', 'staging', '-o', 'json']);
    expect(scan.code).toBe(0);
    expect(JSON.parse(scan.stdout)).toMatchObject({ environment: 'staging', findings: [] });
    expect(seen.some((s) => s.startsWith('POST /api/tenants/acme/projects/shop/environments/staging/drift-scans '))).toBe(true);
    const listed = await user.run(['drift', 'list', '--status', 'open', '-o', 'json']);
    expect(JSON.parse(listed.stdout)).toMatchObject({ items: [{ kind: 'missing', status: 'open' }] });
    expect(seen.some((s) => s.startsWith('GET /api/tenants/acme/projects/shop/drift?status=open '))).toBe(true);
    const shown = await user.run(['release', 'show', 'rel-9']);
    expect(shown.code).toBe(1);
    expect(shown.stderr).toContain('Releases is not available on this server');
  });
});
