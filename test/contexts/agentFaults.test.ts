import { eventually, fixtureApp } from '../support/hostProcess';
import { FactoryApp, startFactoryApp } from '../support/factoryApp';
import { setupProject, setupTenant, startBootstrap, TenantSetup, waitForWorkflow } from '../support/factoryScenario';

interface DeadLetter {
  body: { taskId: string; skill: string };
  deadLetterReason: string;
  deliveryCount: number;
}

describe('agent task failures', () => {
  let app: FactoryApp;
  let tenant: TenantSetup;
  beforeAll(async () => {
    app = await startFactoryApp({
      appDir: fixtureApp('chaos-factory'),
      env: {
        CHAOS: 'DraftVisionDocument:2,DesignArchitecture:always',
        FACTORY_HOST_SB_RETRY_BASE_MS: '20',
        FACTORY_HOST_SB_MAX_DELIVERY_COUNT: '3',
        AGENT_TASK_MAX_DELIVERY_COUNT: '3',
      },
    });
    tenant = await setupTenant(app, 'chaos');
    await setupProject(app, tenant, 'fragile');
  });
  afterAll(() => app?.stop());

  it('retries a skill that fails twice, dead-letters one that always fails, and fails the workflow with the reason', async () => {
    const workflowId = await startBootstrap(app, tenant, 'fragile');
    const done = await waitForWorkflow(app, tenant, 'fragile', workflowId, (w) => w.status !== 'Running', 60000);
    expect(done.status).toBe('Failed');
    expect(done.failure).toContain('solution-architect/DesignArchitecture failed');
    expect(done.failure).toContain('dead-lettered after 3 deliveries');
    expect(done.failure).toContain('injected failure 3 of DesignArchitecture');

    // The vision step failed twice, then succeeded on the third delivery: one result, one usage record.
    const vision = done.timeline!.find((s) => s.step === 'DraftVisionDocument');
    expect(vision).toMatchObject({ status: 'succeeded' });
    const visionTask = await app.call('GET', `tenants/chaos/projects/fragile/agent-tasks/${workflowId}:DraftVisionDocument~1`, { key: tenant.keys.viewer });
    expect(visionTask.body).toMatchObject({ status: 'succeeded', deliveries: 3 });
    const architecture = done.timeline!.find((s) => s.step === 'DesignArchitecture');
    expect(architecture).toMatchObject({ status: 'failed' });

    // The poison task sits in the dead-letter queue and its task shows as failed.
    const deadLetters = await eventually(async () => {
      const res = await fetch(`${app.host.origin}/admin/servicebus/agent-tasks/deadletters`, { headers: { 'x-functions-key': app.host.masterKey } });
      const items = ((await res.json()) as { messages: DeadLetter[] }).messages;
      return items.some((d) => d.body.skill === 'DesignArchitecture') ? items : undefined;
    });
    expect(deadLetters.find((d) => d.body.skill === 'DesignArchitecture')).toMatchObject({ deadLetterReason: 'MaxDeliveryCountExceeded', deliveryCount: 3 });
    const task = await app.call('GET', `tenants/chaos/projects/fragile/agent-tasks/${workflowId}:DesignArchitecture~1`, { key: tenant.keys.viewer });
    expect(task.body).toMatchObject({ status: 'dead-lettered' });
  });
});

describe('agent task timeouts', () => {
  let app: FactoryApp;
  afterAll(() => app?.stop());

  it('retries a timed-out task with back-off on another agent of the role, and ignores the late result', async () => {
    app = await startFactoryApp({ appDir: fixtureApp('chaos-factory'), env: { CHAOS: 'DraftVisionDocument:slow1', CHAOS_SLOW_MS: '4000', FACTORY_AGENT_TASK_TIMEOUT_SECONDS: '1' } });
    const tenant = await setupTenant(app, 'sleepy');
    await setupProject(app, tenant, 'slow');
    const workflowId = await startBootstrap(app, tenant, 'slow');
    const waiting = await waitForWorkflow(app, tenant, 'slow', workflowId, (w) => w.timeline?.some((s) => s.step === 'ArchitectureApproval') ?? false, 60000);
    expect(waiting.timeline!.find((s) => s.step === 'DraftVisionDocument')).toMatchObject({ status: 'succeeded', attempts: 2, agent: 'vision-architect-2' });
    // The first attempt finishes late; its result is recorded on its task but does not change the step.
    const late = await eventually(async () => {
      const res = await app.call<{ status: string }>('GET', `tenants/sleepy/projects/slow/agent-tasks/${workflowId}:DraftVisionDocument~1`, { key: tenant.keys.viewer });
      return res.body.status === 'succeeded' ? res.body : undefined;
    }, 20000);
    expect(late.status).toBe('succeeded');
    const artifacts = await app.call<{ items: { name: string }[] }>('GET', `tenants/sleepy/projects/slow/artifacts?workflowId=${workflowId}`, { key: tenant.keys.viewer });
    expect(artifacts.body.items.filter((a) => a.name === 'docs/vision.md')).toHaveLength(1);
    await app.call('POST', `tenants/sleepy/projects/slow/workflows/${workflowId}/cancel`, { key: tenant.keys.admin, body: { reason: 'done' } });
  });
});
