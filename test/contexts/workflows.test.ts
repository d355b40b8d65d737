import { ProjectRepository } from '../../shared/skills/repository';
import { eventually } from '../support/hostProcess';
import { FactoryApp, startFactoryApp } from '../support/factoryApp';
import { pendingApproval, setupProject, setupTenant, startBootstrap, TenantSetup, VETCLINIC, waitForWorkflow, workflow } from '../support/factoryScenario';

// ValidateService compiles, tests and starts each generated service: a bootstrap takes minutes on a loaded machine.
jest.setTimeout(600_000);

const MODULE_STEPS = ['EmitOpenApiContract', 'DefineEventContracts', 'GenerateService', 'GenerateTests', 'ValidateService', 'GenerateBicep', 'CreateK8sManifests', 'GeneratePipeline'];

describe('ProjectBootstrap on the local host', () => {
  let app: FactoryApp;
  let tenant: TenantSetup;
  beforeAll(async () => {
    app = await startFactoryApp();
    tenant = await setupTenant(app, 'vets');
  });
  afterAll(() => app?.stop());

  const decide = (approvalId: string, decision: 'approve' | 'reject', key = tenant.keys.architect, comment = 'reviewed') =>
    app.call('POST', `tenants/${tenant.tenantId}/approvals/${approvalId}/decision`, { key, body: { decision, comment } });

  it('runs the SPEC blueprint: waits for approval, assembles every module with a validated service, commits, and records it all', async () => {
    await setupProject(app, tenant, 'vetclinic', VETCLINIC);
    const workflowId = await startBootstrap(app, tenant, 'vetclinic');
    const approvalId = await pendingApproval(app, tenant, workflowId);
    const waiting = await workflow(app, tenant, 'vetclinic', workflowId);
    expect(waiting.status).toBe('Running');
    expect(waiting.timeline?.find((s) => s.step === 'ArchitectureApproval')?.status).toBe('waiting');
    expect((await decide(approvalId, 'approve', tenant.keys.viewer)).status).toBe(403);
    expect((await decide(approvalId, 'approve')).status).toBe(200);

    const done = await waitForWorkflow(app, tenant, 'vetclinic', workflowId, (w) => w.status !== 'Running', 240000);
    expect(done.failure).toBeUndefined();
    expect(done.status).toBe('Completed');
    expect(done.summary?.modules.map((m) => [m.name, m.validated])).toEqual([
      ['BookingService', true],
      ['NotificationService', true],
      ['PaymentService', true],
    ]);
    expect(done.summary?.commit?.created).toBe(true);

    // The timeline shows every step with its agent and artifacts.
    const steps = new Map(done.timeline!.map((s) => [s.step, s]));
    for (const step of ['ValidateBlueprint', 'PolicyCheck', 'DraftVisionDocument', 'DesignArchitecture', 'ArchitectureApproval', 'CommitArtifacts']) expect(steps.get(step)?.status).toBe('succeeded');
    for (const module of ['BookingService', 'NotificationService', 'PaymentService']) {
      for (const skill of MODULE_STEPS) {
        const step = steps.get(`${module}/${skill}`);
        expect(step).toMatchObject({ status: 'succeeded', skill });
        expect(step?.agent).toBeTruthy();
        expect(step?.artifacts.length).toBeGreaterThan(0);
      }
    }

    // The artifacts are in the project repository, on the workflow's branch, with trailers.
    const repository = new ProjectRepository(app.host.dataDir, tenant.tenantId, 'vetclinic');
    const branch = done.summary!.commit!.branch;
    expect(await repository.listBranches()).toContain(branch);
    const [commit] = await repository.log(branch, 1);
    expect(commit.message).toContain(`Workflow-Id: ${workflowId}`);
    expect(commit.message).toContain('Blueprint-Version: 1');

    // Audit trail and usage show the run.
    const audit = await eventually(async () => {
      const res = await app.call<{ items: { action: string }[] }>('GET', `tenants/${tenant.tenantId}/audit?limit=1000`, { key: tenant.keys.admin });
      const actions = res.body.items.map((e) => e.action);
      return actions.includes('WorkflowCompleted.v1') ? actions : undefined;
    });
    for (const action of ['WorkflowStarted.v1', 'PolicyDecided.v1', 'ApprovalRequested.v1', 'ApprovalDecided.v1', 'ArtifactStored.v1', 'WorkflowCompleted.v1']) expect(audit).toContain(action);
    const usage = await app.call<{ bySkill?: { skill?: string; key?: string; records?: number }[]; budget?: unknown }>('GET', `tenants/${tenant.tenantId}/usage`, { key: tenant.keys.admin });
    expect(usage.status).toBe(200);

    // Each stored artifact exists once even though agents run at least once.
    const artifacts = await app.call<{ items: { id: string; name: string; kind: string; validation: { status: string; details?: string } }[] }>('GET', `tenants/${tenant.tenantId}/projects/vetclinic/artifacts?workflowId=${workflowId}&limit=500`, { key: tenant.keys.viewer });
    const names = artifacts.body.items.map((a) => a.name);
    expect(new Set(names).size).toBe(names.length);
    expect(names.length).toBe(done.summary!.artifacts);

    // The validated service code and tests carry ValidateService's verdict, not `pending`.
    const validated = artifacts.body.items.filter((a) => a.kind === 'service-code' || a.kind === 'tests');
    expect(validated.length).toBeGreaterThan(0);
    for (const artifact of validated) expect(artifact.validation).toMatchObject({ status: 'passed', details: expect.stringMatching(/checks passed/) });
  });

  it('ends as rejected with nothing committed when the architect rejects', async () => {
    await setupProject(app, tenant, 'rejected');
    const workflowId = await startBootstrap(app, tenant, 'rejected');
    const approvalId = await pendingApproval(app, tenant, workflowId);
    expect((await decide(approvalId, 'reject', tenant.keys.architect, 'wrong split of services')).status).toBe(200);
    const done = await waitForWorkflow(app, tenant, 'rejected', workflowId, (w) => w.status !== 'Running');
    expect(done.status).toBe('Rejected');
    expect(done.failure).toContain('wrong split of services');
    expect(done.timeline?.some((s) => s.step.includes('/'))).toBe(false);
    const repository = new ProjectRepository(app.host.dataDir, tenant.tenantId, 'rejected');
    await repository.init();
    expect(await repository.listBranches()).not.toContain(`workflow/${workflowId}`);
  });

  it('applies exactly one of several concurrent decisions; the others get 409', async () => {
    await setupProject(app, tenant, 'contested');
    const workflowId = await startBootstrap(app, tenant, 'contested');
    const approvalId = await pendingApproval(app, tenant, workflowId);
    const answers = await Promise.all([0, 1, 2, 3, 4].map((i) => decide(approvalId, i % 2 ? 'approve' : 'reject')));
    expect(answers.filter((a) => a.status === 200)).toHaveLength(1);
    expect(answers.filter((a) => a.status === 409)).toHaveLength(4);
    await app.call('POST', `tenants/${tenant.tenantId}/projects/contested/workflows/${workflowId}/cancel`, { key: tenant.keys.admin, body: { reason: 'test done' } });
  });

  it('cancels a waiting workflow and its pending approval', async () => {
    await setupProject(app, tenant, 'cancelled');
    const workflowId = await startBootstrap(app, tenant, 'cancelled');
    const approvalId = await pendingApproval(app, tenant, workflowId);
    const cancelled = await app.call('POST', `tenants/${tenant.tenantId}/projects/cancelled/workflows/${workflowId}/cancel`, { key: tenant.keys.admin, body: { reason: 'no longer needed' } });
    expect(cancelled.status).toBe(200);
    expect(cancelled.body).toMatchObject({ status: 'Cancelled' });
    const approval = await app.call('GET', `tenants/${tenant.tenantId}/approvals/${approvalId}`, { key: tenant.keys.architect });
    expect(approval.body).toMatchObject({ status: 'cancelled' });
    expect((await decide(approvalId, 'approve')).status).toBe(409);
  });

  it('blocks a second workflow once the budget is spent', async () => {
    const thrifty = await setupTenant(app, 'thrifty');
    await setupProject(app, thrifty, 'first');
    expect((await app.call('PUT', `tenants/thrifty/budget`, { key: thrifty.keys.admin, body: { monthlyBudgetUsd: 0.0000001 } })).status).toBe(200);
    const workflowId = await startBootstrap(app, thrifty, 'first');
    const approvalId = await pendingApproval(app, thrifty, workflowId);
    expect((await app.call('POST', `tenants/thrifty/approvals/${approvalId}/decision`, { key: thrifty.keys.architect, body: { decision: 'approve' } })).status).toBe(200);
    await waitForWorkflow(app, thrifty, 'first', workflowId, (w) => w.status !== 'Running');
    const second = await app.call('POST', `tenants/thrifty/projects/first/workflows`, { key: thrifty.keys.admin, body: { kind: 'ProjectBootstrap' } });
    expect(second.status).toBe(429);
    expect(second.body).toMatchObject({ code: 'PolicyDenied' });
    expect(second.headers.get('content-type')).toContain('application/problem+json');
    const decisions = await app.call<{ items: { outcome: string; rule: string }[] }>('GET', `tenants/thrifty/policy-decisions?point=workflow-start`, { key: thrifty.keys.admin });
    expect(decisions.body.items.map((d) => d.outcome)).toEqual(expect.arrayContaining(['allow', 'deny']));
  });

  it('answers a start without a valid blueprint, or for a foreign tenant, with a problem', async () => {
    const res = await app.call('POST', `tenants/${tenant.tenantId}/projects`, { key: tenant.keys.admin, body: { projectId: 'empty', name: 'Empty' } });
    expect(res.status).toBe(201);
    expect((await app.call('POST', `tenants/${tenant.tenantId}/projects/empty/workflows`, { key: tenant.keys.admin, body: {} })).status).toBe(404);
    const other = await setupTenant(app, 'outsider');
    expect((await app.call('GET', `tenants/${tenant.tenantId}/projects/vetclinic/workflows`, { key: other.keys.admin })).status).toBe(404);
    expect((await app.call('POST', `tenants/${tenant.tenantId}/projects/vetclinic/workflows`, { key: tenant.keys.viewer, body: {} })).status).toBe(403);
  });

  it("refuses to start a blueprint built for an edition above the tenant's", async () => {
    const free = await setupTenant(app, 'freebie', 'free');
    await setupProject(app, free, 'clinic', VETCLINIC); // edition: pro
    const res = await app.call('POST', `tenants/freebie/projects/clinic/workflows`, { key: free.keys.admin, body: { kind: 'ProjectBootstrap' } });
    expect(res.status).toBe(403);
    expect(res.body).toMatchObject({ code: 'PolicyDenied', detail: expect.stringContaining('builtin.blueprint-edition') });
  });
});
