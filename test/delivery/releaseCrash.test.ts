import { namespaceKey } from '../../local/broker/namespaces';
import fs from 'node:fs';
import { ADMIN_KEY, FactoryApp, startFactoryApp } from '../support/factoryApp';
import { pendingApproval, setupProject, setupTenant, startBootstrap, TenantSetup, waitForWorkflow } from '../support/factoryScenario';
import { eventually, tempDataDir } from '../support/hostProcess';
import { approvePending, liveOf, ReleaseView, stopAllReplicas, waitForRelease } from './support';

jest.setTimeout(900_000);

const ENV = { FACTORY_DRIFT_SCAN_SCHEDULE: '0 0 0 1 1 *', FACTORY_HOST_MASTER_KEY: 'test-master-key-0123456789abcdef', FACTORY_HOST_SYSTEM_KEY: 'test-system-key-0123456789abcdef' };

describe('a release survives kill -9 of the host; promoted stage by stage; replicas follow the host to another port', () => {
  const dataDir = tempDataDir('delivery-crash-');
  let app: FactoryApp;
  let tenant: TenantSetup;
  let releaseManager: string;
  let devRelease: string;

  beforeAll(async () => {
    app = await startFactoryApp({ dataDir, env: ENV });
    tenant = await setupTenant(app, 'crashy');
    releaseManager = (await app.call<{ secret: string }>('POST', `tenants/crashy/keys`, { body: { name: 'rm', roles: ['ReleaseManager'] } })).body.secret;
    await setupProject(app, tenant, 'petstore');
    const workflowId = await startBootstrap(app, tenant, 'petstore');
    await app.call('POST', `tenants/crashy/approvals/${await pendingApproval(app, tenant, workflowId)}/decision`, { key: tenant.keys.architect, body: { decision: 'approve' } });
    expect((await waitForWorkflow(app, tenant, 'petstore', workflowId, (w) => w.status !== 'Running', 600_000)).status).toBe('Completed');
  });

  afterAll(async () => {
    await app?.stop();
    await stopAllReplicas(dataDir);
  });

  it('killed in the middle of deploying, the restarted host completes the promotion with one deployment and one replica', async () => {
    const started = await app.call<ReleaseView>('POST', `tenants/crashy/projects/petstore/releases`, { key: releaseManager, body: { environments: ['dev'] } });
    expect(started.status).toBe(202);
    devRelease = started.body.releaseId;
    await waitForRelease(app, tenant, 'petstore', started.body.releaseId, (r) => r.promotions?.[0]?.phase === 'Deploying', 120_000);
    // Restarted on its port, as `npm start` does: running replicas keep the broker URL they started with.
    const { port } = app.host;
    await app.host.kill9();
    app = await startFactoryApp({ dataDir, env: ENV, port });
    const done = await waitForRelease(app, tenant, 'petstore', started.body.releaseId, (r) => r.status !== 'Running');
    expect(done.failure).toBeUndefined();
    expect(done.status).toBe('Succeeded');
    expect(done.promotions!.map((p) => [p.environment, p.phase])).toEqual([['dev', 'Succeeded']]);
    expect(done.promotions![0].steps.filter((s) => s.name === 'Deploy')).toHaveLength(1);
    const live = await liveOf(app, tenant, 'petstore', 'dev');
    expect(live.map((m) => [m.module, m.replicas.length])).toEqual([['PetService', 1]]);
    const deployments = await app.call<{ items: { releaseId: string }[] }>('GET', `tenants/crashy/projects/petstore/environments/dev/deployments`, { key: tenant.keys.viewer });
    expect(deployments.body.items.filter((d) => d.releaseId === started.body.releaseId)).toHaveLength(1);
  });

  it('re-adopts running replicas after another kill -9: same processes, still answering', async () => {
    const before = await liveOf(app, tenant, 'petstore', 'dev');
    // Restarted on its port, as `npm start` does: running replicas keep the broker URL they started with.
    const { port } = app.host;
    await app.host.kill9();
    app = await startFactoryApp({ dataDir, env: ENV, port });
    const after = await liveOf(app, tenant, 'petstore', 'dev');
    expect(after.map((m) => m.replicas.map((r) => r.pid))).toEqual(before.map((m) => m.replicas.map((r) => r.pid)));
    expect(after[0].replicas[0].ready).toBe(true);
  });

  it('promotes the finished dev release to production through the promote route: next stage only, once, by a release manager, after approval', async () => {
    // The petstore blueprint's environments are dev and production.
    const route = (releaseId: string) => `tenants/crashy/projects/petstore/releases/${releaseId}/promotions`;
    const notHere = await app.call<{ errors: { path: string }[] }>('POST', route(devRelease), { key: releaseManager, body: { environment: 'staging' } });
    expect(notHere.status).toBe(400);
    expect(notHere.headers.get('content-type')).toMatch(/application\/problem\+json/);
    expect(notHere.body.errors.map((e) => e.path)).toEqual(['body.environment']);
    expect((await app.call('POST', route(devRelease), { key: tenant.keys.viewer, body: { environment: 'production' } })).status).toBe(403);
    expect((await app.call('POST', route('rel-nope'), { key: releaseManager, body: { environment: 'production' } })).status).toBe(404);
    const bad = await app.call<{ errors: { path: string }[] }>('POST', route(devRelease), { key: releaseManager, body: { environment: 'qa' } });
    expect([bad.status, bad.body.errors.map((e) => e.path)]).toEqual([400, ['body.environment']]);
    const back = await app.call<{ code: string }>('POST', route(devRelease), { key: releaseManager, body: { environment: 'dev' } });
    expect([back.status, back.body.code]).toEqual([409, 'AlreadyPromoted']);

    const promoted = await app.call<ReleaseView>('POST', route(devRelease), { key: releaseManager, body: { environment: 'production' } });
    expect(promoted.status).toBe(202);
    expect(promoted.body.status).toBe('Running');
    const again = await app.call<{ code: string }>('POST', route(devRelease), { key: releaseManager, body: { environment: 'production' } });
    expect([again.status, again.body.code]).toEqual([409, 'ReleaseRunning']);
    await approvePending(app, tenant, devRelease, releaseManager);
    const done = await waitForRelease(app, tenant, 'petstore', devRelease, (r) => r.status !== 'Running');
    expect(done.failure).toBeUndefined();
    expect(done.status).toBe('Succeeded');
    expect(done.promotions!.map((p) => [p.environment, p.phase])).toEqual([['dev', 'Succeeded'], ['production', 'Succeeded']]);
    expect(done.promotions![1].steps.map((s) => s.name)).toEqual(['Policy', 'Approval', 'Deploy', 'HealthCheck', 'Smoke', 'Promote']);
    const production = await liveOf(app, tenant, 'petstore', 'production');
    expect(production.map((m) => [m.module, m.replicas.length, m.replicas[0].ready])).toEqual([['PetService', 1, true]]);
    const releases = await app.call<{ items: { releaseId: string }[] }>('GET', `tenants/crashy/projects/petstore/releases`, { key: tenant.keys.viewer });
    expect(releases.body.items.filter((r) => r.releaseId === devRelease)).toHaveLength(1);
    const twice = await app.call<{ code: string }>('POST', route(devRelease), { key: releaseManager, body: { environment: 'production' } });
    expect([twice.status, twice.body.code]).toEqual([409, 'AlreadyPromoted']);
    const audit = await eventually(async () => {
      const res = await app.call('GET', `tenants/crashy/audit?limit=500`, { key: ADMIN_KEY });
      const text = JSON.stringify(res.body);
      return text.includes('PromotionRequested.v1') ? text : undefined;
    }, 60_000, 'PromotionRequested.v1 in the audit');
    expect(audit).toContain(devRelease);
  });

  it('restarted on another port with another master key, the host replaces re-adopted replicas so they reach its broker again', async () => {
    const [before] = await liveOf(app, tenant, 'petstore', 'dev');
    const oldPid = before.replicas[0].pid!;
    const oldPort = app.host.port;
    await app.host.kill9();
    const moved = { ...ENV, FACTORY_HOST_MASTER_KEY: 'moved-master-key-0123456789abcdef' };
    app = await startFactoryApp({ dataDir, env: moved });
    expect(app.host.port).not.toBe(oldPort);
    const [after] = await eventually(async () => {
      const live = await liveOf(app, tenant, 'petstore', 'dev');
      return live[0]?.replicas.length === 1 && live[0].replicas[0].pid !== oldPid && live[0].replicas[0].ready ? live : undefined;
    }, 180_000, 'the dev replica replaced with the new broker settings');
    const environ = fs.readFileSync(`/proc/${after.replicas[0].pid}/environ`, 'utf8').split('\0');
    expect(environ).toContain(`BROKER_URL=http://localhost:${app.host.port}`);
    expect(environ).toContain(`BROKER_KEY=${namespaceKey(moved.FACTORY_HOST_MASTER_KEY, `${tenant.tenantId}~petstore~dev`)}`);
    expect(environ.join('\n')).not.toContain(moved.FACTORY_HOST_MASTER_KEY);
    // It really reaches the broker: a generated service's readiness pings its broker (503 naming it otherwise).
    const ready = await fetch(`${after.replicas[0].url}/health/ready`);
    expect([ready.status, await ready.json()]).toEqual([200, { status: 'ok' }]);
    const scan = await app.call<{ findings: unknown[] }>('POST', `tenants/crashy/projects/petstore/environments/dev/drift-scans`, { key: releaseManager });
    expect(scan.status).toBeLessThan(300);
    const open = await app.call<{ items: { kind: string; module: string }[] }>('GET', `tenants/crashy/projects/petstore/drift?environment=dev&status=open`, { key: tenant.keys.viewer });
    expect(open.body.items).toEqual([]);
  });

  it('the driftScan timer finds a killed replica in dev and, dev healing itself, a remediation restarts it', async () => {
    await app.stop();
    app = await startFactoryApp({ dataDir, env: { ...ENV, FACTORY_DRIFT_SCAN_SCHEDULE: '*/2 * * * * *' } });
    // The start-up reconcile runs first (it would restart the replica before any scan sees it gone).
    await eventually(async () => (app.host.output.some((l) => l.includes('"function":"runtimeReconcile"') && l.includes('"message":"invocation"')) ? true : undefined), 60_000, 'the start-up reconcile');
    const [module] = await liveOf(app, tenant, 'petstore', 'dev');
    const pid = module.replicas[0].pid!;
    process.kill(-pid, 'SIGKILL');
    const found = await eventually(async () => {
      const res = await app.call<{ items: { kind: string; module: string; status: string }[] }>('GET', `tenants/crashy/projects/petstore/drift?environment=dev`, { key: tenant.keys.viewer });
      return res.body.items.find((f) => f.kind === 'missing' && f.module === 'PetService');
    }, 120_000, 'a missing finding from the timer');
    expect(found.module).toBe('PetService');
    await eventually(async () => {
      const res = await app.call<{ items: { status: string }[] }>('GET', `tenants/crashy/projects/petstore/drift?environment=dev&status=open`, { key: tenant.keys.viewer });
      const live = await liveOf(app, tenant, 'petstore', 'dev');
      return res.body.items.length === 0 && live[0]?.replicas.length === 1 && live[0].replicas[0].ready && live[0].replicas[0].pid !== pid ? true : undefined;
    }, 180_000, 'self-healed');
  });
});
