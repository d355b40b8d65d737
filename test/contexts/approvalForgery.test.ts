import { eventually } from '../support/hostProcess';
import { FactoryApp, startFactoryApp } from '../support/factoryApp';
import { pendingApproval, setupProject, setupTenant, startBootstrap, TenantSetup, waitForWorkflow, workflow } from '../support/factoryScenario';

/** Known host keys (issue 9 §1 contract): the durable webhooks take the system key. */
const SYSTEM_KEY = 'test-system-key-approval-forgery-0123456789';
const MASTER_KEY = 'test-master-key-approval-forgery-0123456789';

interface AuditItem {
  action: string;
  data: { approvalId?: string; reason?: string; recordedStatus?: string };
}

describe('ApprovalGate decides only on recorded decisions', () => {
  let app: FactoryApp;
  let tenant: TenantSetup;
  beforeAll(async () => {
    app = await startFactoryApp({ env: { FACTORY_HOST_SYSTEM_KEY: SYSTEM_KEY, FACTORY_HOST_MASTER_KEY: MASTER_KEY } });
    tenant = await setupTenant(app, 'gatekeep');
    await setupProject(app, tenant, 'guarded');
  });
  afterAll(() => app?.stop());

  /** Raises `ApprovalDecision` on the gate's instance the way ops tooling (or a leaked URL) could. */
  const raise = (workflowId: string, data: unknown, contentType = 'application/json') =>
    fetch(`${app.host.origin}/runtime/webhooks/durabletask/instances/${encodeURIComponent(`${workflowId}:approval`)}/raiseEvent/ApprovalDecision`, {
      method: 'POST',
      headers: { 'x-functions-key': SYSTEM_KEY, 'content-type': contentType },
      body: JSON.stringify(data),
    });

  const audit = async () => (await app.call<{ items: AuditItem[] }>('GET', `tenants/${tenant.tenantId}/audit?limit=1000`, { key: tenant.keys.admin })).body.items;

  it('ignores raised decisions the approval record does not hold, audits them, and proceeds on the real decision', async () => {
    const workflowId = await startBootstrap(app, tenant, 'guarded');
    const approvalId = await pendingApproval(app, tenant, workflowId);

    // Forged approve (as text/plain too, like a browser form) and a forged reject.
    expect((await raise(workflowId, { approvalId, decision: 'approved', decidedBy: 'apikey:someone' }, 'text/plain')).status).toBe(202);
    expect((await raise(workflowId, { approvalId, decision: 'rejected', decidedBy: 'apikey:someone' })).status).toBe(202);

    const rejected = await eventually(async () => {
      const attempts = (await audit()).filter((e) => e.action === 'ApprovalAttemptRejected.v1');
      return attempts.length >= 2 ? attempts : undefined;
    }, 60000, 'two audited rejected attempts');
    expect(rejected.map((e) => e.data)).toEqual([
      expect.objectContaining({ approvalId, recordedStatus: 'pending', reason: 'the approval record is pending' }),
      expect.objectContaining({ approvalId, recordedStatus: 'pending' }),
    ]);

    // The gate keeps waiting: the approval is pending and nothing was built.
    const approval = await app.call('GET', `tenants/${tenant.tenantId}/approvals/${approvalId}`, { key: tenant.keys.architect });
    expect(approval.body).toMatchObject({ status: 'pending' });
    const waiting = await workflow(app, tenant, 'guarded', workflowId);
    expect(waiting.status).toBe('Running');
    expect(waiting.timeline?.find((s) => s.step === 'ArchitectureApproval')?.status).toBe('waiting');
    expect(waiting.timeline?.some((s) => s.step.includes('/'))).toBe(false);
    expect((await audit()).map((e) => e.action)).not.toContain('ApprovalDecided.v1');

    // The real decision through the API proceeds.
    const decided = await app.call('POST', `tenants/${tenant.tenantId}/approvals/${approvalId}/decision`, { key: tenant.keys.architect, body: { decision: 'approve', comment: 'looks right' } });
    expect(decided.status).toBe(200);
    const done = await waitForWorkflow(app, tenant, 'guarded', workflowId, (w) => w.status !== 'Running', 240000);
    expect(done.status).toBe('Completed');
    expect(done.timeline?.find((s) => s.step === 'ArchitectureApproval')?.status).toBe('succeeded');
  });
});
