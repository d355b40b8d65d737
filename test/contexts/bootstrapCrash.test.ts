import { FactoryApp, startFactoryApp } from '../support/factoryApp';
import { tempDataDir } from '../support/hostProcess';
import { pendingApproval, setupProject, setupTenant, startBootstrap, TenantSetup, VETCLINIC, waitForWorkflow } from '../support/factoryScenario';

const KILLS = 3;

// ValidateService compiles, tests and starts each generated service: a bootstrap takes minutes on a loaded machine.
jest.setTimeout(600_000);

describe('kill -9 during ProjectBootstrap', () => {
  const dataDir = tempDataDir('factory-bootstrap-crash-');
  let app: FactoryApp;
  afterAll(() => app?.stop());

  it('completes after repeated kill -9 with no duplicate artifact, usage record or commit', async () => {
    app = await startFactoryApp({ dataDir });
    const tenant: TenantSetup = await setupTenant(app, 'crashy');
    await setupProject(app, tenant, 'vetclinic', VETCLINIC);
    const workflowId = await startBootstrap(app, tenant, 'vetclinic');
    const approvalId = await pendingApproval(app, tenant, workflowId);
    expect((await app.call('POST', `tenants/crashy/approvals/${approvalId}/decision`, { key: tenant.keys.architect, body: { decision: 'approve' } })).status).toBe(200);

    for (let k = 0; k < KILLS; k++) {
      await new Promise((r) => setTimeout(r, 300 + Math.floor(Math.random() * 1200)));
      await app.host.kill9();
      app = await startFactoryApp({ dataDir });
    }

    const done = await waitForWorkflow(app, tenant, 'vetclinic', workflowId, (w) => w.status !== 'Running', 240000);
    expect(done.failure).toBeUndefined();
    expect(done.status).toBe('Completed');
    expect(done.summary?.modules.every((m) => m.validated)).toBe(true);

    const artifacts = await app.call<{ items: { id: string; name: string; version: number }[] }>('GET', `tenants/crashy/projects/vetclinic/artifacts?workflowId=${workflowId}&limit=500`, { key: tenant.keys.viewer });
    const names = artifacts.body.items.map((a) => a.name);
    expect(new Set(names).size).toBe(names.length);
    expect(artifacts.body.items.every((a) => a.version === 1)).toBe(true);
    expect(names.length).toBe(done.summary!.artifacts);
    for (const step of done.timeline ?? []) expect(step.status).toBe('succeeded');
  });
});
