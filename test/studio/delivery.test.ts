import { startFactoryApp, type FactoryApp } from '../support/factoryApp';
import { setupProject, setupTenant, type TenantSetup } from '../support/factoryScenario';
import { openChromium, signIn, type StudioBrowser } from './browser';

jest.setTimeout(300_000);

/** The delivery page and the projects overview call the factory's real delivery routes (shared/delivery). */
describe('Studio delivery page (Chromium)', () => {
  let app: FactoryApp;
  let tenant: TenantSetup;
  let browser: StudioBrowser;
  const apiCalls: { url: string; status: number }[] = [];

  beforeAll(async () => {
    app = await startFactoryApp();
    tenant = await setupTenant(app, 'deliv');
    await setupProject(app, tenant, 'shop');
    browser = await openChromium();
    browser.page.on('response', (response) => {
      if (new URL(response.url()).pathname.startsWith('/api/')) apiCalls.push({ url: response.url(), status: response.status() });
    });
  });
  afterAll(async () => {
    await browser?.close();
    await app?.stop();
  });

  it('loads releases, per-environment promotions and deployments, and drift without a missing route', async () => {
    const { page } = browser;
    await signIn(page, app.host.origin, tenant.keys.admin, tenant.tenantId);
    // The overview reads open drift from GET …/drift: no findings is "healthy", not "n/a" (no route).
    await page.getByText('healthy', { exact: true }).waitFor();
    await page.getByRole('link', { name: 'Workflows', exact: true }).last().click();
    await page.getByRole('link', { name: 'Delivery' }).click();
    await page.getByRole('heading', { name: 'Delivery of shop' }).waitFor();
    await page.getByText('No releases yet.').waitFor();
    await page.getByText('No drift found.').waitFor();
    expect(await page.getByText('not available on this factory').count()).toBe(0);
    const paths = apiCalls.map((c) => new URL(c.url).pathname);
    expect(paths).toContain('/api/tenants/deliv/projects/shop/releases');
    expect(paths).toContain('/api/tenants/deliv/projects/shop/environments/dev/promotions');
    expect(paths).toContain('/api/tenants/deliv/projects/shop/environments/dev/deployments');
    expect(paths).toContain('/api/tenants/deliv/projects/shop/drift');
    expect(apiCalls.filter((c) => c.status === 404)).toEqual([]);
  });
});
