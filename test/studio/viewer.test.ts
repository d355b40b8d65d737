import { startFactoryApp, type FactoryApp } from '../support/factoryApp';
import { pendingApproval, setupProject, setupTenant, startBootstrap, type TenantSetup } from '../support/factoryScenario';
import { openChromium, screenshot, seriousViolations, signIn, type StudioBrowser } from './browser';

// A Viewer sees what is waiting but is offered no decision, no submit and no start; the API still
// refuses the decision when called directly. The Studio never calls another tenant's routes.

jest.setTimeout(300_000);

describe('Studio as a Viewer (Chromium)', () => {
  let app: FactoryApp;
  let tenant: TenantSetup;
  let browser: StudioBrowser;
  let approvalId: string;
  const requested: string[] = [];

  beforeAll(async () => {
    app = await startFactoryApp();
    tenant = await setupTenant(app, 'viewing');
    await setupTenant(app, 'elsewhere');
    await setupProject(app, tenant, 'shop');
    const workflowId = await startBootstrap(app, tenant, 'shop');
    approvalId = await pendingApproval(app, tenant, workflowId);
    browser = await openChromium();
    browser.page.on('request', (request) => requested.push(new URL(request.url()).pathname));
    await signIn(browser.page, app.host.origin, tenant.keys.viewer);
  });

  afterAll(async () => {
    await browser?.close();
    await app?.stop();
  });

  it('shows the pending approval without approve or reject buttons', async () => {
    const { page } = browser;
    await page.getByRole('link', { name: 'Approvals' }).click();
    await page.getByRole('heading', { name: /Architecture of shop/ }).waitFor();
    await page.getByText(/Your roles \(Viewer\) cannot decide this approval/).waitFor();
    expect(await page.getByRole('button', { name: 'Approve' }).count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Reject' }).count()).toBe(0);
    await screenshot(page, 'viewer-approvals');
    expect(await seriousViolations(page)).toEqual([]);
    await page.getByLabel('Only those I can decide').check();
    await page.getByText('Nothing pending.').waitFor();
    await page.getByLabel('Only those I can decide').uncheck();
  });

  it('still gets 403 when it calls the decision route directly', async () => {
    const res = await app.call('POST', `tenants/${tenant.tenantId}/approvals/${approvalId}/decision`, { key: tenant.keys.viewer, body: { decision: 'approve' } });
    expect(res.status).toBe(403);
    const still = await app.call('GET', `tenants/${tenant.tenantId}/approvals/${approvalId}`, { key: tenant.keys.viewer });
    expect(still.body.status).toBe('pending');
  });

  it('offers no blueprint submit and no workflow start', async () => {
    const { page } = browser;
    await page.goto(`${app.host.origin}/t/${tenant.tenantId}/p/shop/blueprint`);
    await page.getByRole('heading', { name: 'Versions' }).waitFor();
    expect(await page.getByRole('button', { name: 'Submit blueprint' }).count()).toBe(0);
    await page.goto(`${app.host.origin}/t/${tenant.tenantId}/p/shop/workflows`);
    await page.getByTestId('workflow-list').waitFor();
    expect(await page.getByRole('button', { name: /^Start / }).count()).toBe(0);
    expect(await page.getByRole('link', { name: 'Tenants' }).count()).toBe(0);
  });

  it("never calls another tenant's routes, even on a deep link to it", async () => {
    const { page } = browser;
    requested.length = 0;
    await page.goto(`${app.host.origin}/t/elsewhere/projects`);
    await page.getByText("tenant 'elsewhere' is not yours").waitFor();
    expect(requested.filter((path) => path.startsWith('/api/tenants/elsewhere'))).toEqual([]);
    expect(browser.errors).toEqual([]);
  });
});
