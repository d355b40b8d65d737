import { ProjectRepository } from '../../shared/skills/repository';
import { FactoryApp, startFactoryApp } from '../support/factoryApp';
import { setupProject, setupTenant, TenantSetup, TINY, waitForWorkflow } from '../support/factoryScenario';

// ValidateService compiles, tests and starts each generated service: a bootstrap takes minutes on a loaded machine.
jest.setTimeout(600_000);

describe('SprintExecution', () => {
  let app: FactoryApp;
  let tenant: TenantSetup;
  beforeAll(async () => {
    app = await startFactoryApp();
    tenant = await setupTenant(app, 'sprinters');
    await setupProject(app, tenant, 'shelter', TINY.replace('metadata: { name: petstore }', 'metadata: { name: shelter }'));
  });
  afterAll(() => app?.stop());

  const submit = (yaml: string) => app.call('POST', `tenants/sprinters/projects/shelter/blueprints`, { key: tenant.keys.architect, raw: yaml, contentType: 'application/yaml' });
  const start = (body: Record<string, unknown>) => app.call<{ workflowId: string }>('POST', `tenants/sprinters/projects/shelter/workflows`, { key: tenant.keys.admin, body: { kind: 'SprintExecution', ...body } });

  it('regenerates only the modules the new version touches, validates them and opens a pull request', async () => {
    const v2 = TINY.replace('metadata: { name: petstore }', 'metadata: { name: shelter }').replace('fields: { name: string,', 'fields: { name: string, chipId: string?,');
    expect((await submit(v2)).status).toBe(201);
    const started = await start({});
    expect(started.status).toBe(202);
    const done = await waitForWorkflow(app, tenant, 'shelter', started.body.workflowId, (w) => w.status !== 'Running');
    expect(done.failure).toBeUndefined();
    expect(done.status).toBe('Completed');
    expect(done.summary).toMatchObject({ touchedModules: ['PetService'], modules: [{ name: 'PetService', validated: true }] });
    const steps = done.timeline!.map((s) => s.step);
    expect(steps).toEqual(expect.arrayContaining(['DiffBlueprints', 'DesignArchitecture', 'PetService/GenerateService', 'PetService/ValidateService', 'PullRequest']));
    expect(steps).not.toContain('DraftVisionDocument');

    const pulls = await app.call<{ items: { sourceBranch: string; targetBranch: string; touchedModules: string[]; commit: string }[] }>('GET', `tenants/sprinters/projects/shelter/pull-requests`, { key: tenant.keys.viewer });
    expect(pulls.body.items[0]).toMatchObject({ sourceBranch: `sprint/${started.body.workflowId}`, targetBranch: 'main', touchedModules: ['PetService'] });
    const repository = new ProjectRepository(app.host.dataDir, 'sprinters', 'shelter');
    expect(await repository.listBranches()).toContain(`sprint/${started.body.workflowId}`);
  });

  it('refuses a fromVersion that is not an earlier version', async () => {
    const res = await start({ fromVersion: 9 });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ errors: [{ path: 'body.fromVersion' }] });
  });
});
