import { fixtureApp } from '../support/hostProcess';
import { FactoryApp, startFactoryApp } from '../support/factoryApp';
import { pendingApproval, setupProject, setupTenant, startBootstrap, TenantSetup, waitForWorkflow } from '../support/factoryScenario';

describe('retrying and cancelling workflows', () => {
  let app: FactoryApp;
  let tenant: TenantSetup;
  beforeAll(async () => {
    // GenerateBicep fails on its first two runs in this host: the first run dead-letters it, a retry succeeds.
    app = await startFactoryApp({
      appDir: fixtureApp('chaos-factory'),
      env: { CHAOS: 'GenerateBicep:2', FACTORY_HOST_SB_RETRY_BASE_MS: '20', FACTORY_HOST_SB_MAX_DELIVERY_COUNT: '2', AGENT_TASK_MAX_DELIVERY_COUNT: '2' },
    });
    tenant = await setupTenant(app, 'retrying');
    await setupProject(app, tenant, 'flaky');
  });
  afterAll(() => app?.stop());

  const base = (projectId: string, workflowId: string) => `tenants/${tenant.tenantId}/projects/${projectId}/workflows/${workflowId}`;
  const task = (taskId: string) => app.call('GET', `tenants/${tenant.tenantId}/projects/flaky/agent-tasks/${encodeURIComponent(taskId)}`, { key: tenant.keys.viewer });

  it('retries a failed workflow from its failed step, reusing what succeeded', async () => {
    const workflowId = await startBootstrap(app, tenant, 'flaky');
    const approvalId = await pendingApproval(app, tenant, workflowId);
    expect((await app.call('POST', `tenants/${tenant.tenantId}/approvals/${approvalId}/decision`, { key: tenant.keys.architect, body: { decision: 'approve' } })).status).toBe(200);
    const failed = await waitForWorkflow(app, tenant, 'flaky', workflowId, (w) => w.status !== 'Running', 240000);
    expect(failed.status).toBe('Failed');
    expect(failed.failure).toContain('GenerateBicep');
    const before = new Map(failed.timeline!.map((s) => [s.step, s]));
    expect(before.get('PetService/GenerateBicep')?.status).toBe('failed');

    expect((await app.call('POST', `${base('flaky', workflowId)}/retry`, { key: tenant.keys.viewer })).status).toBe(403);
    const retried = await app.call('POST', `${base('flaky', workflowId)}/retry`, { key: tenant.keys.admin });
    expect(retried.status).toBe(202);
    expect(retried.body).toMatchObject({ workflowId, status: 'Running', retries: 1 });
    expect((await app.call('POST', `${base('flaky', workflowId)}/retry`, { key: tenant.keys.admin })).status).toBe(409);

    const done = await waitForWorkflow(app, tenant, 'flaky', workflowId, (w) => w.status !== 'Running', 240000);
    expect(done.failure).toBeUndefined();
    expect(done.status).toBe('Completed');
    const after = new Map(done.timeline!.map((s) => [s.step, s]));
    // Succeeded steps kept their artifacts and were not run again; the failed one ran again and succeeded.
    for (const step of ['DraftVisionDocument', 'DesignArchitecture', 'PetService/EmitOpenApiContract', 'PetService/GenerateService', 'ArchitectureApproval']) {
      expect(after.get(step)).toMatchObject({ status: 'succeeded', artifacts: before.get(step)!.artifacts, attempts: before.get(step)!.attempts });
    }
    expect(after.get('PetService/GenerateBicep')?.status).toBe('succeeded');
    expect((await task(`${workflowId}-retry1:DraftVisionDocument~1`)).status).toBe(404);
    expect((await task(`${workflowId}-retry1:PetService:EmitOpenApiContract~1`)).status).toBe(404);
    expect((await task(`${workflowId}-retry1:PetService:GenerateBicep~1`)).status).toBe(200);
    expect(done.summary?.commit?.created).toBe(true);

    const audit = await app.call<{ items: { action: string; data: { reusedSteps?: string[] } }[] }>('GET', `tenants/${tenant.tenantId}/audit?limit=1000`, { key: tenant.keys.admin });
    const event = audit.body.items.find((e) => e.action === 'WorkflowRetried.v1');
    expect(event?.data.reusedSteps).toEqual(expect.arrayContaining(['DesignArchitecture', 'ArchitectureApproval', 'PetService/validation']));

    // Only failed workflows are retried.
    expect((await app.call('POST', `${base('flaky', workflowId)}/retry`, { key: tenant.keys.admin })).body).toMatchObject({ status: 409, code: 'WorkflowNotRetryable' });
  });

  it('cancels with no body at all', async () => {
    const workflowId = await startBootstrap(app, tenant, 'flaky');
    await pendingApproval(app, tenant, workflowId);
    const res = await fetch(`${app.host.origin}/api/${base('flaky', workflowId)}/cancel`, { method: 'POST', headers: { authorization: `Bearer ${tenant.keys.admin}` } });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ status: 'Cancelled', failure: expect.stringContaining('cancelled') });
  });
});
