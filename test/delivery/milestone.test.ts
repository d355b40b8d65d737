import { FactoryApp, startFactoryApp } from '../support/factoryApp';
import { pendingApproval, setupProject, setupTenant, startBootstrap, TenantSetup, waitForWorkflow } from '../support/factoryScenario';
import { eventually, tempDataDir } from '../support/hostProcess';
import { approvePending, stopAllReplicas, waitForRelease } from './support';

jest.setTimeout(900_000);

interface MilestoneView {
  milestoneId: string;
  status: string;
  releaseId?: string;
  failure?: string;
  gate?: { passed: boolean; checks: { name: string; ok: boolean; detail: string }[] };
}

describe('MilestoneLifecycle: quality gate → approval → release', () => {
  const dataDir = tempDataDir('delivery-milestone-');
  let app: FactoryApp;
  let tenant: TenantSetup;
  let releaseManager: string;
  let completed: string;
  let rejected: string;
  const base = 'tenants/milestones/projects/petstore';

  beforeAll(async () => {
    app = await startFactoryApp({ dataDir, env: { FACTORY_DRIFT_SCAN_SCHEDULE: '0 0 0 1 1 *' } });
    tenant = await setupTenant(app, 'milestones');
    releaseManager = (await app.call<{ secret: string }>('POST', 'tenants/milestones/keys', { body: { name: 'rm', roles: ['ReleaseManager'] } })).body.secret;
    await setupProject(app, tenant, 'petstore');
    completed = await startBootstrap(app, tenant, 'petstore');
    await app.call('POST', `tenants/milestones/approvals/${await pendingApproval(app, tenant, completed)}/decision`, { key: tenant.keys.architect, body: { decision: 'approve' } });
    expect((await waitForWorkflow(app, tenant, 'petstore', completed, (w) => w.status !== 'Running', 600_000)).status).toBe('Completed');
    rejected = await startBootstrap(app, tenant, 'petstore');
    await app.call('POST', `tenants/milestones/approvals/${await pendingApproval(app, tenant, rejected)}/decision`, { key: tenant.keys.architect, body: { decision: 'reject' } });
    expect((await waitForWorkflow(app, tenant, 'petstore', rejected, (w) => w.status !== 'Running')).status).toBe('Rejected');
  });

  afterAll(async () => {
    await app?.stop();
    await stopAllReplicas(dataDir);
  });

  const waitMilestone = (id: string, predicate: (m: MilestoneView) => boolean) =>
    eventually(async () => {
      const res = await app.call<MilestoneView>('GET', `${base}/milestones/${id}`, { key: tenant.keys.viewer });
      return predicate(res.body) ? res.body : undefined;
    }, 300_000, `milestone ${id}`);

  it('refuses unknown workflows, and stops at the quality gate when a grouped workflow did not complete', async () => {
    const unknown = await app.call('POST', `${base}/milestones`, { key: releaseManager, body: { name: 'm0', workflowIds: ['nope'] } });
    expect(unknown.status).toBe(400);
    expect(unknown.body).toMatchObject({ errors: [{ path: 'body.workflowIds[0]' }] });
    const started = await app.call<MilestoneView>('POST', `${base}/milestones`, { key: releaseManager, body: { name: 'm1', workflowIds: [completed, rejected] } });
    expect(started.status).toBe(202);
    const failed = await waitMilestone(started.body.milestoneId, (m) => m.status === 'GateFailed');
    expect(failed.gate!.checks.map((c) => [c.name, c.ok])).toEqual([[`workflow ${completed}`, true], [`workflow ${rejected}`, false], ['drift', true], ['budget', true]]);
    expect(failed.failure).toContain('is Rejected');
  });

  it('passes the gate, waits for a ReleaseManager, then releases main through dev and production', async () => {
    const started = await app.call<MilestoneView>('POST', `${base}/milestones`, { key: releaseManager, body: { name: 'm2', workflowIds: [completed] } });
    const milestoneId = started.body.milestoneId;
    await waitMilestone(milestoneId, (m) => m.status === 'WaitingForApproval');
    await approvePending(app, tenant, milestoneId, releaseManager);
    const releasing = await waitMilestone(milestoneId, (m) => Boolean(m.releaseId));
    await approvePending(app, tenant, releasing.releaseId!, releaseManager);
    const release = await waitForRelease(app, tenant, 'petstore', releasing.releaseId!, (r) => r.status !== 'Running');
    expect(release.status).toBe('Succeeded');
    expect(release.promotions!.map((p) => [p.environment, p.phase])).toEqual([['dev', 'Succeeded'], ['production', 'Succeeded']]);
    expect((await waitMilestone(milestoneId, (m) => m.status !== 'Releasing')).status).toBe('Released');
  });
});
