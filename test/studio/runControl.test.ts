import { startFactoryApp, type FactoryApp } from '../support/factoryApp';
import { pendingApproval, setupProject, setupTenant, startBootstrap, workflow, type TenantSetup } from '../support/factoryScenario';
import { openChromium, screenshot, seriousViolations, signIn, type StudioBrowser } from './browser';

// Cancelling a run from its page: confirmed first, with a reason, and the page follows the run to
// Cancelled; the workflow's pending approval goes with it.

jest.setTimeout(300_000);

describe('Studio run controls (Chromium)', () => {
  let app: FactoryApp;
  let tenant: TenantSetup;
  let browser: StudioBrowser;
  let workflowId: string;

  beforeAll(async () => {
    app = await startFactoryApp();
    tenant = await setupTenant(app, 'controls');
    await setupProject(app, tenant, 'shop');
    workflowId = await startBootstrap(app, tenant, 'shop');
    await pendingApproval(app, tenant, workflowId);
    browser = await openChromium();
    await signIn(browser.page, app.host.origin, tenant.keys.admin);
  });

  afterAll(async () => {
    await browser?.close();
    await app?.stop();
  });

  it('cancels a waiting run only after confirmation, with the reason given', async () => {
    const { page } = browser;
    await page.goto(`${app.host.origin}/t/${tenant.tenantId}/p/shop/workflows/${workflowId}`);
    await page.getByRole('link', { name: 'open in the inbox' }).waitFor();
    await page.getByRole('button', { name: 'Cancel run' }).click();
    await page.getByRole('button', { name: 'Keep running' }).click();
    expect((await workflow(app, tenant, 'shop', workflowId)).status).toBe('Running');

    await page.getByRole('button', { name: 'Cancel run' }).click();
    const dialog = page.getByRole('alertdialog', { name: 'Confirm cancel' });
    await dialog.getByLabel('Reason').fill('wrong blueprint');
    await screenshot(page, 'run-cancel-confirm');
    expect(await seriousViolations(page)).toEqual([]);
    await dialog.getByRole('button', { name: 'Yes, cancel this run' }).click();
    await page.getByRole('heading', { name: /Cancelled/ }).waitFor();
    expect(await page.getByRole('button', { name: 'Cancel run' }).count()).toBe(0);
    const cancelled = await workflow(app, tenant, 'shop', workflowId);
    expect(cancelled.status).toBe('Cancelled');
    const pending = await app.call('GET', `tenants/${tenant.tenantId}/approvals?status=pending`, { key: tenant.keys.viewer });
    expect(pending.body.items).toEqual([]);
    expect(cancelled.failure).toContain('wrong blueprint');
    await page.getByText(/cancelled by apikey:.*: wrong blueprint/).waitFor();
    expect(browser.errors).toEqual([]);
  });
});
