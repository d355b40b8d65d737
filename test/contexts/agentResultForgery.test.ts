import { eventually, fixtureApp } from '../support/hostProcess';
import { FactoryApp, startFactoryApp } from '../support/factoryApp';
import { setupProject, setupTenant, startBootstrap, TenantSetup, waitForWorkflow, workflow } from '../support/factoryScenario';

const SYSTEM_KEY = 'test-system-key-agent-result-forgery-0123456789';

describe('agent-task waits take the recorded result, not the raised one', () => {
  let app: FactoryApp;
  let tenant: TenantSetup;
  beforeAll(async () => {
    // The first vision run takes a while: a window in which no result is recorded yet.
    app = await startFactoryApp({ appDir: fixtureApp('chaos-factory'), env: { CHAOS: 'DraftVisionDocument:slow1', CHAOS_SLOW_MS: '6000', FACTORY_HOST_SYSTEM_KEY: SYSTEM_KEY } });
    tenant = await setupTenant(app, 'resultkeep');
    await setupProject(app, tenant, 'guarded');
  });
  afterAll(() => app?.stop());

  it('records a forged AgentResult as a rejected attempt and keeps the real artifacts', async () => {
    const workflowId = await startBootstrap(app, tenant, 'guarded');
    const instance = `${workflowId}:DraftVisionDocument`;
    const forged = { taskId: `${instance}~1`, tenantId: tenant.tenantId, projectId: 'guarded', workflowId, replyTo: instance, attempt: 1, agentId: 'x', status: 'succeeded', artifacts: [{ id: 'forged-artifact', name: 'vision.md', kind: 'vision' }], checks: [] };
    await eventually(async () => {
      const res = await fetch(`${app.host.origin}/runtime/webhooks/durabletask/instances/${encodeURIComponent(instance)}/raiseEvent/AgentResult-1`, {
        method: 'POST',
        headers: { 'x-functions-key': SYSTEM_KEY, 'content-type': 'application/json' },
        body: JSON.stringify(forged),
      });
      return res.status === 202 ? true : undefined;
    }, 30000, 'the vision task instance');

    const rejected = await eventually(async () => {
      const items = (await app.call<{ items: { action: string; data: { taskId?: string } }[] }>('GET', `tenants/${tenant.tenantId}/audit?limit=1000`, { key: tenant.keys.admin })).body.items;
      return items.find((e) => e.action === 'AgentResultRejected.v1');
    }, 60000, 'an audited rejected agent result');
    expect(rejected.data.taskId).toBe(`${instance}~1`);

    const vision = await eventually(async () => {
      const step = (await workflow(app, tenant, 'guarded', workflowId)).timeline?.find((s) => s.step === 'DraftVisionDocument');
      return step?.status === 'succeeded' ? step : undefined;
    }, 60000, 'the real vision result');
    expect(vision.artifacts).not.toContain('forged-artifact');
    expect(vision.artifacts.length).toBeGreaterThan(0);
    await app.call('POST', `tenants/${tenant.tenantId}/projects/guarded/workflows/${workflowId}/cancel`, { key: tenant.keys.admin, body: {} });
    await waitForWorkflow(app, tenant, 'guarded', workflowId, (w) => w.status !== 'Running');
  });
});
