import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { ADMIN_KEY, FactoryApp, startFactoryApp } from '../support/factoryApp';
import { setupProject, setupTenant, TenantSetup } from '../support/factoryScenario';
import { CliUser } from './cliProcess';

const ESC = '\u001b[';

/** How the CLI behaves for scripts: data on stdout, formats, exit codes, no prompts without a terminal. */
describe('factory CLI conventions', () => {
  let app: FactoryApp;
  let tenant: TenantSetup;
  let admin: CliUser;
  beforeAll(async () => {
    app = await startFactoryApp();
    tenant = await setupTenant(app, 'cli-conventions');
    await setupProject(app, tenant, 'petstore');
    admin = new CliUser({ FACTORY_URL: app.host.origin, FACTORY_KEY: tenant.keys.admin, FACTORY_PROJECT: 'petstore' });
  });
  afterAll(() => app?.stop());

  it('prints its version and complete help for every subcommand', async () => {
    const user = new CliUser();
    const version = await user.run(['--version']);
    expect(version).toMatchObject({ code: 0, stdout: `${JSON.parse(fs.readFileSync(path.join(__dirname, '../../../package.json'), 'utf8')).version}\n` });
    const help = await user.run(['--help']);
    expect(help.code).toBe(0);
    const nouns = ['login', 'whoami', 'tenant', 'key', 'project', 'blueprint', 'workflow', 'approval', 'artifact', 'usage', 'audit', 'repo', 'release', 'drift', 'mcp'];
    for (const noun of nouns) expect(help.stdout).toMatch(new RegExp(`^  ${noun}\\b.*\\S`, 'm'));
    expect(help.stdout).toContain('3  the workflow is waiting for an approval');
    for (const noun of ['tenant', 'key', 'project', 'blueprint', 'workflow', 'approval', 'artifact', 'audit', 'repo', 'release', 'drift']) {
      const sub = await user.run([noun, '--help']);
      expect(sub.code).toBe(0);
      // Every verb of the noun has a description.
      const verbs = sub.stdout.split('Commands:')[1].split('\n').filter((line) => /^ {2}\S/.test(line));
      expect(verbs.length).toBeGreaterThan(1);
      for (const verb of verbs.filter((v) => !v.trim().startsWith('help'))) expect(verb.trim().split(/\s{2,}/)[1]).toBeTruthy();
    }
  });

  it('refuses usage mistakes with exit code 2 and names the flag', async () => {
    expect((await admin.run(['workflow', 'start', '--bogus'])).code).toBe(2);
    expect((await admin.run(['workflow', 'start', '--kind', 'Nope'])).code).toBe(2);
    const notLoggedIn = await new CliUser().run(['project', 'list']);
    expect(notLoggedIn.code).toBe(2);
    expect(notLoggedIn.stderr).toContain('factory login --url');
    const noTenant = await new CliUser({ FACTORY_URL: app.host.origin, FACTORY_KEY: ADMIN_KEY }).run(['project', 'list']);
    expect(noTenant).toMatchObject({ code: 2 });
    expect(noTenant.stderr).toContain('--tenant');
  });

  it('never prompts without a terminal: a missing value is an error naming its flag', async () => {
    const missingName = await admin.run(['project', 'create', 'no-name']);
    expect(missingName.code).toBe(2);
    expect(missingName.stderr).toContain('Missing --name (no terminal to prompt on)');
    const login = await new CliUser().run(['login', '--url', app.host.origin]);
    expect(login.code).toBe(2);
    expect(login.stderr).toContain('Missing --key');
    const revoke = await admin.run(['key', 'revoke', 'cli-conventions.0123abcd']);
    expect(revoke.code).toBe(2);
    expect(revoke.stderr).toContain('--yes');
    // Nothing was created or revoked.
    expect((await app.call('GET', 'tenants/cli-conventions/projects/no-name', { key: tenant.keys.admin })).status).toBe(404);
  });

  it('prints data as json, jsonl and tables on stdout without colors off-TTY; API problems on stderr with exit 1', async () => {
    const json = await admin.json(['project', 'list']);
    expect(json.items.map((p: { projectId: string }) => p.projectId)).toEqual(['petstore']);
    const fields = JSON.parse((await admin.run(['project', 'list', '--json', 'projectId'])).stdout);
    expect(fields).toEqual({ items: [{ projectId: 'petstore' }] });
    const jsonl = await admin.run(['blueprint', 'list', '-o', 'jsonl']);
    expect(jsonl.stdout.trim().split('\n').map((line) => JSON.parse(line).version)).toEqual([1]);
    const table = await admin.run(['blueprint', 'list', '-o', 'table']);
    expect(table.stdout.split('\n')[0]).toMatch(/^VERSION\s+NAME\s+MODULES\s+SUBMITTED\s+BY$/);
    expect(table.stdout).not.toContain(ESC);
    const forced = await admin.run(['blueprint', 'list', '-o', 'table', '--project', 'nope'], { env: { FORCE_COLOR: '1' } });
    expect(forced.code).toBe(1);
    expect(forced.stderr).toContain(ESC);
    const noColor = await admin.run(['project', 'show', 'nope'], { env: { FORCE_COLOR: '1', NO_COLOR: '1' } });
    expect(noColor.stderr).not.toContain(ESC);

    const bad = await admin.run(['project', 'create', 'Bad Id!', '--name', 'x']);
    expect(bad.code).toBe(1);
    expect(bad.stdout).toBe('');
    expect(bad.stderr).toMatch(/\(400 \w+; POST \/api\/tenants\/cli-conventions\/projects\)/);
    expect(bad.stderr).toMatch(/^ {2}body\.projectId: /m);
    const badJson = await admin.run(['project', 'create', 'Bad Id!', '--name', 'x', '-o', 'json']);
    expect(JSON.parse(badJson.stderr)).toMatchObject({ status: 400, errors: [expect.objectContaining({ path: 'body.projectId' })] });
  });

  it('saves profiles in $XDG_CONFIG_HOME/factory/config.json with mode 0600 and switches with --profile', async () => {
    const user = new CliUser();
    expect((await user.run(['login', '--profile', 'viewer', '--url', app.host.origin, '--key', tenant.keys.viewer])).code).toBe(0);
    expect((await user.run(['login', '--profile', 'admin', '--url', app.host.origin, '--key', tenant.keys.admin, '--project', 'petstore'])).code).toBe(0);
    const file = path.join(user.configHome, 'factory', 'config.json');
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(fs.statSync(path.dirname(file)).mode & 0o777).toBe(0o700);
    expect((await user.json(['whoami'])).roles).toEqual(['TenantAdmin']);
    expect((await user.json(['whoami', '--profile', 'viewer'])).roles).toEqual(['Viewer']);
    const refused = await user.run(['project', 'create', 'x', '--name', 'x', '--profile', 'viewer']);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('403');
    const unknown = await user.run(['whoami', '--profile', 'nobody']);
    expect(unknown.code).toBe(2);
    const wrongKey = await new CliUser().run(['login', '--url', app.host.origin, '--key', 'sf_cli-conventions.00_' + '0'.repeat(48)]);
    expect(wrongKey.code).toBe(1);
    expect(wrongKey.stderr).toContain('401');
  });

  it('lists every tenant for a PlatformAdmin (all pages) and its own tenant for a tenant key', async () => {
    await setupTenant(app, 'cli-list-other');
    const platform = new CliUser({ FACTORY_URL: app.host.origin, FACTORY_KEY: ADMIN_KEY });
    const all = await platform.json<{ items: { tenantId: string }[] }>(['tenant', 'list', '--limit', '1']);
    expect(all.items.map((t) => t.tenantId)).toEqual(expect.arrayContaining(['cli-conventions', 'cli-list-other']));
    const own = await admin.json<{ items: { tenantId: string }[] }>(['tenant', 'list']);
    expect(own.items.map((t) => t.tenantId)).toEqual(['cli-conventions']);
  });

  it('creates and revokes keys: a revoked key fails authentication', async () => {
    const created = await admin.json(['key', 'create', '--name', 'temp', '--roles', 'Viewer,Developer']);
    expect(created).toMatchObject({ name: 'temp', roles: ['Viewer', 'Developer'] });
    const holder = new CliUser({ FACTORY_URL: app.host.origin, FACTORY_KEY: created.secret });
    expect((await holder.json(['whoami'])).roles).toEqual(['Viewer', 'Developer']);
    const listed = await admin.json(['key', 'list']);
    expect(listed.items.map((k: { keyId: string }) => k.keyId)).toContain(created.keyId);
    expect(JSON.stringify(listed)).not.toContain(created.secret);
    expect(await admin.json(['key', 'revoke', created.keyId, '--yes'])).toEqual({ keyId: created.keyId, revoked: true });
    const refused = await holder.run(['whoami']);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('401');
  });

  it('ends --wait and watch with 3 at an approval and 4 once cancelled; Ctrl+C detaches without cancelling', async () => {
    const started = await admin.json(['workflow', 'start', '--wait', '--interval', '250'], 3);
    expect(started.outcome).toBe('waiting-for-approval');
    expect((await admin.json(['workflow', 'watch', started.workflowId], 3)).approval.id).toBe(started.approval.id);
    expect((await app.call('POST', `tenants/${tenant.tenantId}/approvals/${started.approval.id}/decision`, { key: tenant.keys.architect, body: { decision: 'approve' } })).status).toBe(200);

    // The module is being assembled (generation, then validation takes seconds): Ctrl+C leaves it running.
    const detached = await detachWithCtrlC(admin, started.workflowId);
    expect(detached.code).toBe(130);
    expect(detached.stderr).toContain('Detached; the workflow keeps running');
    expect((await admin.json(['workflow', 'show', started.workflowId])).status).toBe('Running');

    expect((await admin.run(['workflow', 'cancel', started.workflowId])).code).toBe(2);
    expect((await admin.json(['workflow', 'cancel', started.workflowId, '--yes'])).status).toBe('Cancelled');
    expect((await admin.json(['workflow', 'watch', started.workflowId], 4)).outcome).toBe('cancelled');
  }, 240000);

  it('reports a feature this server lacks as not available (exit 1)', async () => {
    const server = http.createServer((req, res) => {
      res.writeHead(404, { 'content-type': 'application/problem+json' });
      res.end(JSON.stringify({ type: 'about:blank', title: 'Not Found', status: 404, detail: `No route answers ${req.method} ${req.url}.`, code: 'RouteNotFound' }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const user = new CliUser({ FACTORY_URL: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, FACTORY_KEY: 'sf_acme.01_' + 'a'.repeat(48), FACTORY_PROJECT: 'shop' });
      const drift = await user.run(['drift', 'list']);
      expect(drift.code).toBe(1);
      expect(drift.stderr).toContain('Drift findings is not available on this server (GET /api/tenants/acme/projects/shop/drift answered 404 RouteNotFound)');
      const archive = await user.run(['repo', 'archive', '--ref', 'main']);
      expect(archive.stderr).toContain('The repository archive is not available on this server');
    } finally {
      server.close();
    }
  });
});

/** Starts `workflow watch` and sends SIGINT (what Ctrl+C sends) once it has shown the workflow. */
function detachWithCtrlC(user: CliUser, workflowId: string) {
  return new Promise<{ code: number | null; stderr: string }>((resolve, reject) => {
    const child = user.spawn(['workflow', 'watch', workflowId, '--interval', '200']);
    let stderr = '';
    let sent = false;
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      if (!sent && stderr.includes(workflowId)) {
        sent = true;
        child.kill('SIGINT');
      }
    });
    child.stdin.end();
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stderr }));
  });
}
