import { eventually } from '../support/hostProcess';
import { FactoryApp, startFactoryApp } from '../support/factoryApp';
import { pendingApproval, setupProject, setupTenant, startBootstrap, TenantSetup, workflow } from '../support/factoryScenario';

jest.setTimeout(300_000);

/** Workflow records stay true to their orchestrations: terminated, cancelled or deleted with the tenant. */
describe('workflow records and their orchestrations', () => {
  let app: FactoryApp;
  beforeAll(async () => {
    app = await startFactoryApp();
  });
  afterAll(() => app?.stop());

  const durable = async (method: string, path: string) => {
    const res = await fetch(`${app.host.origin}/runtime/webhooks/durabletask/${path}`, { method, headers: { 'x-functions-key': app.host.systemKey } });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : undefined };
  };
  const instanceStatus = async (instanceId: string) => (await durable('GET', `instances/${encodeURIComponent(instanceId)}`)).body?.runtimeStatus as string | undefined;
  const approvalStatus = async (tenant: TenantSetup, approvalId: string) => (await app.call('GET', `tenants/${tenant.tenantId}/approvals/${approvalId}`, { key: tenant.keys.architect })).body.status;

  it('settles a workflow whose orchestration was terminated through the durable API, and frees its concurrency slot', async () => {
    const tenant = await setupTenant(app, 'terminated', 'free');
    await setupProject(app, tenant, 'one');
    const first = await startBootstrap(app, tenant, 'one');
    const approvalId = await pendingApproval(app, tenant, first);
    expect((await durable('POST', `instances/${first}/terminate?reason=operator`)).status).toBe(202);
    await eventually(async () => ((await instanceStatus(first)) === 'Terminated' ? true : undefined), 60_000, 'terminated');
    // The free edition runs one workflow at a time: the terminated one no longer holds the slot.
    const second = await app.call('POST', `tenants/${tenant.tenantId}/projects/one/workflows`, { key: tenant.keys.admin, body: { kind: 'ProjectBootstrap' } });
    expect(second.status).toBe(202);
    const settled = await workflow(app, tenant, 'one', first);
    expect(settled.status).toBe('Cancelled');
    expect(await approvalStatus(tenant, approvalId)).toBe('cancelled');
    const listed = await app.call('GET', `tenants/${tenant.tenantId}/projects/one/workflows`, { key: tenant.keys.viewer });
    expect(listed.body.items.find((w: { workflowId: string }) => w.workflowId === first).status).toBe('Cancelled');
    await app.call('POST', `tenants/${tenant.tenantId}/projects/one/workflows/${second.body.workflowId}/cancel`, { key: tenant.keys.admin });
  });

  it('settles a Running record on read when its orchestration was terminated', async () => {
    const tenant = await setupTenant(app, 'readsettle');
    await setupProject(app, tenant, 'p');
    const workflowId = await startBootstrap(app, tenant, 'p');
    const approvalId = await pendingApproval(app, tenant, workflowId);
    await durable('POST', `instances/${workflowId}/terminate?reason=operator`);
    await eventually(async () => ((await instanceStatus(workflowId)) === 'Terminated' ? true : undefined), 60_000, 'terminated');
    expect((await workflow(app, tenant, 'p', workflowId)).status).toBe('Cancelled');
    expect(await approvalStatus(tenant, approvalId)).toBe('cancelled');
    await eventually(async () => ((await instanceStatus(`${workflowId}:approval`)) === 'Terminated' ? true : undefined), 60_000, 'approval gate terminated');
  });

  it('terminates the approval gate sub-orchestration when a waiting workflow is cancelled', async () => {
    const tenant = await setupTenant(app, 'cancelgate');
    await setupProject(app, tenant, 'p');
    const workflowId = await startBootstrap(app, tenant, 'p');
    await pendingApproval(app, tenant, workflowId);
    expect(await instanceStatus(`${workflowId}:approval`)).toBe('Running');
    const cancelled = await app.call('POST', `tenants/${tenant.tenantId}/projects/p/workflows/${workflowId}/cancel`, { key: tenant.keys.admin });
    expect(cancelled.body.status).toBe('Cancelled');
    await eventually(async () => ((await instanceStatus(`${workflowId}:approval`)) === 'Terminated' ? true : undefined), 60_000, 'approval gate terminated');
  });

  it("cancels the tenant's running workflows when the tenant is deleted", async () => {
    const tenant = await setupTenant(app, 'leaving');
    await setupProject(app, tenant, 'p');
    const workflowId = await startBootstrap(app, tenant, 'p');
    await pendingApproval(app, tenant, workflowId);
    const deleted = await app.call('DELETE', `tenants/${tenant.tenantId}`, { body: { reason: 'offboarded' } });
    expect([deleted.status, deleted.body]).toEqual([200, expect.objectContaining({ status: 'deleted' })]);
    await eventually(async () => ((await instanceStatus(workflowId)) === 'Terminated' ? true : undefined), 60_000, 'workflow terminated');
    await eventually(async () => ((await instanceStatus(`${workflowId}:approval`)) === 'Terminated' ? true : undefined), 60_000, 'approval gate terminated');
  });
});
