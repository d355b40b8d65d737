import { FactoryApp, startFactoryApp } from '../support/factoryApp';
import { pendingApproval, setupProject, setupTenant, startBootstrap, TenantSetup, waitForWorkflow } from '../support/factoryScenario';
import { tempDataDir } from '../support/hostProcess';
import { liveOf, ReleaseView, stopAllReplicas, waitForRelease } from './support';

jest.setTimeout(900_000);

const ENV = { FACTORY_DRIFT_SCAN_SCHEDULE: '0 0 0 1 1 *', FACTORY_HOST_MASTER_KEY: 'test-master-key-0123456789abcdef', FACTORY_HOST_SYSTEM_KEY: 'test-system-key-0123456789abcdef' };

describe('a release survives kill -9 of the host', () => {
  const dataDir = tempDataDir('delivery-crash-');
  let app: FactoryApp;
  let tenant: TenantSetup;
  let releaseManager: string;

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
    await waitForRelease(app, tenant, 'petstore', started.body.releaseId, (r) => r.promotions?.[0]?.phase === 'Deploying', 120_000);
    await app.host.kill9();
    app = await startFactoryApp({ dataDir, env: ENV });
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
    await app.host.kill9();
    app = await startFactoryApp({ dataDir, env: ENV });
    const after = await liveOf(app, tenant, 'petstore', 'dev');
    expect(after.map((m) => m.replicas.map((r) => r.pid))).toEqual(before.map((m) => m.replicas.map((r) => r.pid)));
    expect(after[0].replicas[0].ready).toBe(true);
  });
});
