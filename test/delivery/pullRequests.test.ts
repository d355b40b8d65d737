import { FactoryApp, startFactoryApp } from '../support/factoryApp';
import { pendingApproval, setupProject, setupTenant, startBootstrap, TenantSetup, TINY, waitForWorkflow } from '../support/factoryScenario';
import { tempDataDir } from '../support/hostProcess';

jest.setTimeout(900_000);

describe('pull requests of sprints: diff, merge into main, conflicts', () => {
  let app: FactoryApp;
  let tenant: TenantSetup;
  const base = `tenants/reviewers/projects/petstore`;

  beforeAll(async () => {
    app = await startFactoryApp({ dataDir: tempDataDir('delivery-pr-'), env: { FACTORY_DRIFT_SCAN_SCHEDULE: '0 0 0 1 1 *' } });
    tenant = await setupTenant(app, 'reviewers');
    await setupProject(app, tenant, 'petstore');
    const workflowId = await startBootstrap(app, tenant, 'petstore');
    await app.call('POST', `tenants/reviewers/approvals/${await pendingApproval(app, tenant, workflowId)}/decision`, { key: tenant.keys.architect, body: { decision: 'approve' } });
    expect((await waitForWorkflow(app, tenant, 'petstore', workflowId, (w) => w.status !== 'Running', 600_000)).status).toBe('Completed');
  });
  afterAll(() => app?.stop());

  const sprint = async (field: string, toVersion: number, type = 'string') => {
    const yaml = TINY.replace('fields: { name: string,', `fields: { name: string, ${field}: ${type}?,`);
    expect((await app.call('POST', `${base}/blueprints`, { key: tenant.keys.architect, raw: yaml, contentType: 'application/yaml' })).status).toBe(201);
    const started = await app.call<{ workflowId: string }>('POST', `${base}/workflows`, { key: tenant.keys.admin, body: { kind: 'SprintExecution', blueprintVersion: toVersion, fromVersion: 1 } });
    expect(started.status).toBe(202);
    const done = await waitForWorkflow(app, tenant, 'petstore', started.body.workflowId, (w) => w.status !== 'Running', 600_000);
    expect(done.status).toBe('Completed');
    return `pr-${started.body.workflowId}`;
  };

  it('shows what a sprint changes, merges it into main, and refuses a second sprint that conflicts (409) without changing main', async () => {
    const first = await sprint('chipId', 2);
    // The same field with another type: both sprints change the same lines of the generated code,
    // so the second cannot merge once the first is in main (two different fields may merge cleanly).
    const second = await sprint('chipId', 3, 'integer');
    const diff = await app.call<{ files: { path: string; status: string; patch?: string }[] }>('GET', `${base}/pull-requests/${first}/diff`, { key: tenant.keys.viewer });
    expect(diff.status).toBe(200);
    const entity = diff.body.files.find((f) => f.path === 'pet-service/src/model.ts');
    expect(entity).toMatchObject({ status: 'modified' });
    expect(entity!.patch).toContain('+');
    expect(entity!.patch).toContain('chipId');
    expect(diff.body.files.every((f) => f.path.startsWith('pet-service/') || f.path.startsWith('architecture/') || !f.path.includes('/'))).toBe(true);

    expect((await app.call('POST', `${base}/pull-requests/${first}/merge`, { key: tenant.keys.viewer, body: {} })).status).toBe(403);
    const merged = await app.call<{ status: string; mergeCommit: string; mergedBy: string }>('POST', `${base}/pull-requests/${first}/merge`, { key: tenant.keys.architect, body: { method: 'fast-forward' } });
    expect(merged.status).toBe(200);
    expect(merged.body.status).toBe('merged');
    const branches = await app.call<{ items: { name: string; commit: string }[] }>('GET', `${base}/repository/branches`, { key: tenant.keys.viewer });
    const main = branches.body.items.find((b) => b.name === 'main')!.commit;
    expect(main).toBe(merged.body.mergeCommit);
    expect((await app.call('POST', `${base}/pull-requests/${first}/merge`, { key: tenant.keys.architect, body: {} })).body).toMatchObject({ status: 409, code: 'PullRequestClosed' });

    const ff = await app.call('POST', `${base}/pull-requests/${second}/merge`, { key: tenant.keys.architect, body: { method: 'fast-forward' } });
    expect(ff.status).toBe(409);
    expect(ff.headers.get('content-type')).toContain('application/problem+json');
    expect(ff.body).toMatchObject({ code: 'MergeConflict' });
    const conflict = await app.call<{ code: string; detail: string }>('POST', `${base}/pull-requests/${second}/merge`, { key: tenant.keys.architect, body: { method: 'merge-commit' } });
    expect(conflict.status).toBe(409);
    expect(conflict.body.detail).toMatch(/conflicts in \d+ file\(s\)\. Files: pet-service\//);
    const after = await app.call<{ items: { name: string; commit: string }[] }>('GET', `${base}/repository/branches`, { key: tenant.keys.viewer });
    expect(after.body.items.find((b) => b.name === 'main')!.commit).toBe(main);
    expect((await app.call('POST', `${base}/pull-requests/${second}/merge`, { key: tenant.keys.architect, body: { method: 'squash' } })).body).toMatchObject({ status: 400, errors: [{ path: 'body.method' }] });
    expect((await app.call('GET', `tenants/reviewers/projects/petstore/pull-requests/nope/diff`, { key: tenant.keys.viewer })).status).toBe(404);
  });
});
