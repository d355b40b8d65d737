import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { CliUser } from './cliProcess';

/**
 * The delivery commands against the documented routes (`GET …/repository/archive?ref=`,
 * `…/releases`, `…/drift`), served here by a stand-in that answers as those routes are specified;
 * the factory's own delivery routes come with the delivery feature.
 */
describe('factory repo, release and drift against the documented routes', () => {
  let server: http.Server;
  let user: CliUser;
  const seen: string[] = [];
  let tarball: Buffer;

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
      } else if (url.pathname === '/api/tenants/acme/projects/shop/releases/rel-1/promote' && req.method === 'POST') {
        res.writeHead(202, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ releaseId: 'rel-1', environment: 'staging', status: 'Promoting' }));
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

  it('promotes a release and reports missing routes as not available', async () => {
    const promoted = await user.run(['release', 'promote', 'rel-1', '--to', 'staging', '-o', 'json']);
    expect(JSON.parse(promoted.stdout)).toMatchObject({ releaseId: 'rel-1', environment: 'staging' });
    const shown = await user.run(['release', 'show', 'rel-2']);
    expect(shown.code).toBe(1);
    expect(shown.stderr).toContain('Releases is not available on this server');
    const scan = await user.run(['drift', 'scan']);
    expect(scan.stderr).toContain('Drift scans is not available on this server (POST /api/tenants/acme/projects/shop/drift/scan answered 404 RouteNotFound)');
  });
});
