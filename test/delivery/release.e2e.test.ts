import { spawn } from 'node:child_process';
import fs from 'node:fs';
import { ADMIN_KEY, FactoryApp, startFactoryApp } from '../support/factoryApp';
import { setupProject, setupTenant, startBootstrap, TenantSetup, VETCLINIC, waitForWorkflow, pendingApproval } from '../support/factoryScenario';
import { eventually, tempDataDir } from '../support/hostProcess';
import { approvePending, createAndRead, liveOf, ReleaseView, startIntruder, stopAllReplicas, waitForRelease } from './support';

jest.setTimeout(900_000);

const ENV = { FACTORY_DRIFT_SCAN_SCHEDULE: '0 0 0 1 1 *', FACTORY_HOST_MASTER_KEY: 'test-master-key-0123456789abcdef', FACTORY_HOST_SYSTEM_KEY: 'test-system-key-0123456789abcdef' };
const PROJECT = 'vetclinic';
const ENVIRONMENTS = ['dev', 'staging', 'production'];

/** Creates an entity on every API service of an environment and reads it back. */
async function everyServiceAnswers(app: FactoryApp, tenant: TenantSetup, environment: string): Promise<void> {
  const live = await liveOf(app, tenant, PROJECT, environment);
  const url = (module: string) => live.find((m) => m.module === module)?.endpoint;
  expect(live.map((m) => m.module)).toEqual(['BookingService', 'NotificationService', 'PaymentService']);
  for (const module of live) expect(module.replicas.every((r) => r.ready)).toBe(true);
  const appointment = await createAndRead(url('BookingService')!, '/booking/v1/appointments', { petName: 'Rex', startsAt: '2030-05-01T10:00:00Z', status: 'booked' });
  expect(appointment).toMatchObject({ petName: 'Rex', status: 'booked' });
  const invoice = await createAndRead(url('PaymentService')!, '/payments/v1/invoices', { appointmentId: '00000000-0000-4000-8000-000000000001', amount: 42.5, currency: 'EUR', lines: [] });
  expect(invoice).toMatchObject({ amount: 42.5, currency: 'EUR' });
  const health = await fetch(`${url('NotificationService')}/health/ready`).then((r) => (r.status === 404 ? fetch(`${url('NotificationService')}/ready`) : r));
  expect(health.status).toBe(200);
}

/** Restarts one replica by hand with one environment variable changed (the running process's config drifts). */
async function restartWithChangedConfig(pid: number, variable: string, value: string): Promise<number> {
  const env = Object.fromEntries(fs.readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0').filter(Boolean).map((e) => [e.slice(0, e.indexOf('=')), e.slice(e.indexOf('=') + 1)]));
  const argv = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean);
  const cwd = fs.readlinkSync(`/proc/${pid}/cwd`);
  process.kill(-pid, 'SIGKILL');
  await eventually(async () => (fs.existsSync(`/proc/${pid}/stat`) && !/\) Z /.test(fs.readFileSync(`/proc/${pid}/stat`, 'utf8')) ? undefined : true), 10_000, 'replica gone');
  const child = spawn(argv[0], argv.slice(1), { cwd, env: { ...env, [variable]: value }, detached: true, stdio: 'ignore' });
  child.unref();
  await eventually(async () => ((await fetch(`http://127.0.0.1:${env.PORT}/health/ready`).catch(() => undefined))?.status ? true : undefined), 30_000, 'hand-started replica');
  return child.pid!;
}

describe('delivery end to end on the local host: bootstrap → main → release through dev, staging, production → drift → remediation', () => {
  const dataDir = tempDataDir('delivery-e2e-');
  let app: FactoryApp;
  let tenant: TenantSetup;
  let releaseManager: string;
  const extraPids: number[] = [];

  beforeAll(async () => {
    app = await startFactoryApp({ dataDir, env: ENV });
    tenant = await setupTenant(app, 'clinic');
    const key = await app.call<{ secret: string }>('POST', `tenants/clinic/keys`, { body: { name: 'rm', roles: ['ReleaseManager'] } });
    releaseManager = key.body.secret;
    await setupProject(app, tenant, PROJECT, VETCLINIC);
  });

  afterAll(async () => {
    await app?.stop();
    await stopAllReplicas(dataDir, extraPids);
  });

  it('bootstraps the SPEC blueprint and merges it into main; the archive of main holds the services', async () => {
    const workflowId = await startBootstrap(app, tenant, PROJECT);
    const approvalId = await pendingApproval(app, tenant, workflowId);
    expect((await app.call('POST', `tenants/clinic/approvals/${approvalId}/decision`, { key: tenant.keys.architect, body: { decision: 'approve' } })).status).toBe(200);
    const done = await waitForWorkflow(app, tenant, PROJECT, workflowId, (w) => w.status !== 'Running', 600_000);
    expect(done.status).toBe('Completed');
    expect(done.timeline!.find((s) => s.step === 'MergeToMain')).toMatchObject({ status: 'succeeded' });
    const branches = await app.call<{ items: { name: string; commit: string }[] }>('GET', `tenants/clinic/projects/${PROJECT}/repository/branches`, { key: tenant.keys.viewer });
    const main = branches.body.items.find((b) => b.name === 'main');
    expect(main?.commit).toBe(done.summary!.commit!.sha);
    const archive = await fetch(`${app.host.origin}/api/tenants/clinic/projects/${PROJECT}/repository/archive?ref=main&format=zip`, { headers: { authorization: `Bearer ${tenant.keys.viewer}` } });
    expect(archive.status).toBe(200);
    expect(archive.headers.get('content-type')).toBe('application/zip');
    const bytes = Buffer.from(await archive.arrayBuffer());
    expect(bytes.subarray(0, 2).toString()).toBe('PK');
    expect(bytes.includes(Buffer.from(`${PROJECT}/booking-service/package.json`))).toBe(true);
    const missing = await app.call('GET', `tenants/clinic/projects/${PROJECT}/repository/archive?ref=nope`, { key: tenant.keys.viewer });
    expect(missing.status).toBe(404);
  });

  let releaseId: string;
  it('releases main: dev and staging promote on their own, production waits for a ReleaseManager, then every service answers', async () => {
    for (const environment of ENVIRONMENTS) {
      const put = await app.call('PUT', `tenants/clinic/projects/${PROJECT}/environments/${environment}`, { key: releaseManager, body: { config: { LOG_LEVEL: 'info' } } });
      expect(put.status).toBe(200);
    }
    const refused = await app.call('POST', `tenants/clinic/projects/${PROJECT}/releases`, { key: tenant.keys.viewer, body: {} });
    expect(refused.status).toBe(403);
    const started = await app.call<ReleaseView>('POST', `tenants/clinic/projects/${PROJECT}/releases`, { key: releaseManager, body: {} });
    expect(started.status).toBe(202);
    releaseId = started.body.releaseId;
    expect(started.body.manifest.environments).toEqual([
      { name: 'dev', order: 1, approvals: [] },
      { name: 'staging', order: 2, approvals: [] },
      { name: 'production', order: 3, approvals: ['ReleaseManager'] },
    ]);
    const waiting = await waitForRelease(app, tenant, PROJECT, releaseId, (r) => r.promotions?.find((p) => p.environment === 'production')?.phase === 'WaitingForApproval');
    expect(waiting.promotions!.map((p) => [p.environment, p.phase])).toEqual([['dev', 'Succeeded'], ['staging', 'Succeeded'], ['production', 'WaitingForApproval']]);
    expect(waiting.promotions![0].steps.map((s) => s.name)).toEqual(['Policy', 'Deploy', 'HealthCheck', 'Smoke', 'Promote']);
    expect(waiting.promotions![0].steps.find((s) => s.name === 'Smoke')!.output).toMatch(/BookingService: POST \/booking\/v1\/appointments → 201/);
    expect(await liveOf(app, tenant, PROJECT, 'production')).toEqual([]);

    await approvePending(app, tenant, releaseId, releaseManager);
    const done = await waitForRelease(app, tenant, PROJECT, releaseId, (r) => r.status !== 'Running');
    expect(done.failure).toBeUndefined();
    expect(done.status).toBe('Succeeded');
    expect(done.promotions!.find((p) => p.environment === 'production')!.steps.find((s) => s.name === 'Approval')!.output).toMatch(/approved by/);
    for (const environment of ENVIRONMENTS) await everyServiceAnswers(app, tenant, environment);
    const deployments = await app.call<{ items: { module: string; status: string; releaseId: string }[] }>('GET', `tenants/clinic/projects/${PROJECT}/environments/production/deployments`, { key: tenant.keys.viewer });
    expect(deployments.body.items.map((d) => [d.module, d.status]).sort()).toEqual([['BookingService', 'Succeeded'], ['NotificationService', 'Succeeded'], ['PaymentService', 'Succeeded']]);
    const audit = await app.call<{ items: { eventType?: string; type?: string }[] }>('GET', `tenants/clinic/audit?limit=500`, { key: ADMIN_KEY });
    const types = JSON.stringify(audit.body);
    for (const type of ['ReleaseCreated.v1', 'PromotionStarted.v1', 'DeploymentSucceeded.v1', 'PolicyDecided.v1']) expect(types).toContain(type);
  });

  it('finds exactly the three injected drifts in production, once; remediation after approval restores them and the next scan is clean', async () => {
    const live = await liveOf(app, tenant, PROJECT, 'production');
    const booking = live.find((m) => m.module === 'BookingService')!.replicas[0].pid!;
    const payment = live.find((m) => m.module === 'PaymentService')!.replicas[0].pid!;
    process.kill(-booking, 'SIGKILL');
    extraPids.push(await restartWithChangedConfig(payment, 'LOG_LEVEL', 'debug'));
    extraPids.push(startIntruder(dataDir, { tenantId: 'clinic', projectId: PROJECT, environment: 'production' }, 'Intruder'));

    const scan = () => app.call<{ findings: { kind: string; module: string }[]; opened: string[]; remediationId?: string }>('POST', `tenants/clinic/projects/${PROJECT}/environments/production/drift-scans`, { key: releaseManager });
    const first = await eventually(async () => {
      const res = await scan();
      return res.body.findings.length === 3 ? res : undefined;
    }, 30_000, 'three findings');
    expect(first.body.findings.map((f) => [f.kind, f.module]).sort()).toEqual([['config', 'PaymentService'], ['missing', 'BookingService'], ['unexpected', 'Intruder']]);
    const second = await scan();
    expect(second.body.findings.map((f) => f.kind).sort()).toEqual(['config', 'missing', 'unexpected']);
    expect(second.body.opened).toEqual([]);
    expect(second.body.remediationId).toBe(first.body.remediationId);
    const open = await app.call<{ items: unknown[] }>('GET', `tenants/clinic/projects/${PROJECT}/drift?environment=production&status=open`, { key: tenant.keys.viewer });
    expect(open.body.items).toHaveLength(3);

    await approvePending(app, tenant, first.body.remediationId!, releaseManager);
    await eventually(async () => {
      const res = await app.call<{ items: unknown[] }>('GET', `tenants/clinic/projects/${PROJECT}/drift?environment=production&status=open`, { key: tenant.keys.viewer });
      return res.body.items.length === 0 ? true : undefined;
    }, 180_000, 'drift resolved');
    const clean = await scan();
    expect(clean.body.findings).toEqual([]);
    expect(clean.body.remediationId).toBeUndefined();
    await everyServiceAnswers(app, tenant, 'production');
  });

  it('refuses environment bindings that would run code in the factory, read its secrets or name unknown modules, and releases to environments the project lacks', async () => {
    type Problem = { errors: { path: string; message: string }[] };
    const put = (body: unknown) => app.call<Problem>('PUT', `tenants/clinic/projects/${PROJECT}/environments/dev`, { key: releaseManager, body });
    const refused = await put({ config: { NODE_OPTIONS: '--import=data:text/javascript,process.exit(1)', LD_PRELOAD: '/tmp/x.so', LOG_LEVEL: 'info' }, secrets: { ADMIN: { fromEnv: 'FACTORY_ADMIN_KEY' } } });
    expect(refused.status).toBe(400);
    expect(refused.body.errors.map((e) => e.path).sort()).toEqual(['body.config.LD_PRELOAD', 'body.config.NODE_OPTIONS', 'body.secrets.ADMIN.fromEnv']);
    const unshared = await put({ secrets: { DB_PASSWORD: { fromEnv: 'HOME' } }, replicas: { '../../etc': 2, BookingService: 2 } });
    expect(unshared.status).toBe(400);
    expect(unshared.body.errors.map((e) => e.path).sort()).toEqual(['body.replicas.../../etc', 'body.secrets.DB_PASSWORD.fromEnv']);
    const project = await app.call('POST', 'tenants/clinic/projects', { key: tenant.keys.admin, body: { projectId: 'devonly', name: 'devonly', environments: ['dev'] } });
    expect(project.status).toBe(201);
    const release = await app.call<Problem>('POST', 'tenants/clinic/projects/devonly/releases', { key: releaseManager, body: { environments: ['dev', 'production'] } });
    expect(release.status).toBe(400);
    expect(release.body.errors).toEqual([{ path: 'body.environments[1]', message: expect.stringContaining("'production' is not an environment of project 'devonly'") }]);
  });

  it('rolls back a release whose new deployment fails its health check, with the bindings of the last good deployment; the previous deployment answers again and the promotion says why', async () => {
    const before = await liveOf(app, tenant, PROJECT, 'dev');
    const put = await app.call('PUT', `tenants/clinic/projects/${PROJECT}/environments/dev`, { key: releaseManager, body: { config: { LOG_LEVEL: 'not-a-level' } } });
    expect(put.status).toBe(200);
    const started = await app.call<ReleaseView>('POST', `tenants/clinic/projects/${PROJECT}/releases`, { key: releaseManager, body: { environments: ['dev'] } });
    expect(started.status).toBe(202);
    const done = await waitForRelease(app, tenant, PROJECT, started.body.releaseId, (r) => r.status !== 'Running');
    expect(done.status).toBe('Failed');
    expect(done.failure).toMatch(/^dev: .*(exited|not ready)/);
    const promotion = done.promotions![0];
    expect(promotion.phase).toBe('RolledBack');
    expect(promotion.reason).toMatch(/exited with code/);
    const rollback = promotion.steps.find((s) => s.name === 'Rollback')!;
    expect(rollback.output).toContain(`restored ${releaseId}`);
    expect(rollback.output).not.toMatch(/failed/);
    expect(rollback.status).toBe('succeeded');
    const after = await liveOf(app, tenant, PROJECT, 'dev');
    expect(after.map((m) => [m.module, m.configHash])).toEqual(before.map((m) => [m.module, m.configHash]));
    await everyServiceAnswers(app, tenant, 'dev');
    const history = await app.call<{ items: { releaseId: string; status: string }[] }>('GET', `tenants/clinic/projects/${PROJECT}/environments/dev/deployments?module=BookingService`, { key: tenant.keys.viewer });
    expect(history.body.items.map((d) => [d.releaseId, d.status])).toEqual([[started.body.releaseId, 'RolledBack'], [releaseId, 'Succeeded']]);
  });

  it('stops an environment on request: its processes end, and scans (self-heal on) leave it stopped', async () => {
    const pids = (await liveOf(app, tenant, PROJECT, 'staging')).flatMap((m) => m.replicas.map((r) => r.pid!));
    expect((await app.call('POST', `tenants/clinic/projects/${PROJECT}/environments/staging/stop`, { key: tenant.keys.viewer })).status).toBe(403);
    const stopped = await app.call<{ stopped: number; live: unknown[] }>('POST', `tenants/clinic/projects/${PROJECT}/environments/staging/stop`, { key: releaseManager });
    expect(stopped.body).toEqual({ stopped: 3, live: [] });
    for (const pid of pids) expect(fs.existsSync(`/proc/${pid}/stat`) && !/\) Z /.test(fs.readFileSync(`/proc/${pid}/stat`, 'utf8'))).toBe(false);
    const scan = await app.call<{ findings: { kind: string }[]; remediationId?: string }>('POST', `tenants/clinic/projects/${PROJECT}/environments/staging/drift-scans`, { key: releaseManager });
    expect(scan.body.findings).toEqual([]);
    expect(scan.body.remediationId).toBeUndefined();
    expect(await liveOf(app, tenant, PROJECT, 'staging')).toEqual([]);
    expect((await app.call('POST', `tenants/other/projects/${PROJECT}/environments/staging/stop`, { key: releaseManager })).status).toBe(404);
  });
});
