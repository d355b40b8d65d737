import { eventually } from '../support/hostProcess';
import { FactoryApp, startFactoryApp } from '../support/factoryApp';
import { pendingApproval, setupProject, setupTenant, startBootstrap, TenantSetup, waitForWorkflow } from '../support/factoryScenario';

interface Approval {
  status: string;
  escalated: boolean;
  eligibleRoles: string[];
}

describe('approval timeouts (2 s in this configuration)', () => {
  let app: FactoryApp;
  let tenant: TenantSetup;
  beforeAll(async () => {
    app = await startFactoryApp({ env: { FACTORY_APPROVAL_TIMEOUT_SECONDS: '2' } });
    tenant = await setupTenant(app, 'slowpokes');
  });
  afterAll(() => app?.stop());

  const approval = async (id: string) => (await app.call<Approval>('GET', `tenants/${tenant.tenantId}/approvals/${id}`, { key: tenant.keys.admin })).body;

  it('escalates once to the next role, who may then decide', async () => {
    await setupProject(app, tenant, 'escalated');
    const workflowId = await startBootstrap(app, tenant, 'escalated');
    const approvalId = await pendingApproval(app, tenant, workflowId);
    expect((await approval(approvalId)).eligibleRoles).not.toContain('TenantAdmin');
    const escalated = await eventually(async () => {
      const a = await approval(approvalId);
      return a.escalated ? a : undefined;
    }, 10000);
    expect(escalated.eligibleRoles).toEqual(expect.arrayContaining(['Architect', 'TenantAdmin']));
    const decided = await app.call('POST', `tenants/${tenant.tenantId}/approvals/${approvalId}/decision`, { key: tenant.keys.admin, body: { decision: 'approve', comment: 'escalated to me' } });
    expect(decided.status).toBe(200);
    const done = await waitForWorkflow(app, tenant, 'escalated', workflowId, (w) => w.status !== 'Running');
    expect(done.status).toBe('Completed');
  });

  it('expires as rejected when nobody decides, after escalating once', async () => {
    await setupProject(app, tenant, 'ignored');
    const workflowId = await startBootstrap(app, tenant, 'ignored');
    const approvalId = await pendingApproval(app, tenant, workflowId);
    const done = await waitForWorkflow(app, tenant, 'ignored', workflowId, (w) => w.status !== 'Running', 30000);
    expect(done.status).toBe('Rejected');
    expect(done.failure).toContain('ArchitectureApproval expired');
    expect(await approval(approvalId)).toMatchObject({ status: 'expired', escalated: true });
    const late = await app.call('POST', `tenants/${tenant.tenantId}/approvals/${approvalId}/decision`, { key: tenant.keys.architect, body: { decision: 'approve' } });
    expect(late.status).toBe(409);
  });
});
