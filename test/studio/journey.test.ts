import { ADMIN_KEY, startFactoryApp, type FactoryApp } from '../support/factoryApp';
import { setupTenant, TINY, type TenantSetup } from '../support/factoryScenario';
import { openChromium, screenshot, seriousViolations, signIn, type AxeViolation, type StudioBrowser } from './browser';

// One person's way through the Studio in real Chromium, on the local host with the real factory app:
// sign in with a key, write a blueprint with a mistake and see it at its line, fix and submit, start
// ProjectBootstrap, approve from the inbox, watch the timeline finish, open a generated source file
// and its lineage, verify the audit chain, see the cost chart. Every page is scanned with axe-core
// and saved as a screenshot (test-output/studio/).

jest.setTimeout(900_000);

const PROJECT = 'petshop';
const MISTAKE_LINE = TINY.split('\n').findIndex((line) => line.includes('- name: PetService')) + 1;
const BROKEN = TINY.replace('- name: PetService', '- name: pet service');

describe('Studio journey (Chromium)', () => {
  let app: FactoryApp;
  let tenant: TenantSetup;
  let browser: StudioBrowser;
  const violations: Record<string, AxeViolation[]> = {};

  const scan = async (name: string) => {
    await screenshot(browser.page, name);
    violations[name] = await seriousViolations(browser.page);
  };

  beforeAll(async () => {
    app = await startFactoryApp();
    tenant = await setupTenant(app, 'studio');
    const budget = await app.call('PUT', `tenants/${tenant.tenantId}/budget`, { key: tenant.keys.admin, body: { monthlyBudgetUsd: 25 } });
    expect(budget.status).toBe(200);
    browser = await openChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await app?.stop();
  });

  it('signs in with a pasted key and keeps it out of the URL and local storage', async () => {
    const { page } = browser;
    await page.goto(`${app.host.origin}/`);
    await scan('01-sign-in');
    await signIn(page, app.host.origin, tenant.keys.architect);
    expect(page.url()).not.toContain(tenant.keys.architect);
    expect(await page.evaluate('JSON.stringify(localStorage)')).not.toContain('sf_');
    expect(await page.evaluate("sessionStorage.getItem('factory-studio.session')")).toContain(tenant.keys.architect);
    await page.getByLabel('Project id').fill(PROJECT);
    await page.getByRole('button', { name: 'Create project' }).click();
    await page.getByRole('rowheader', { name: new RegExp(PROJECT) }).waitFor();
    await scan('02-projects');
  });

  it('shows a blueprint mistake at its line, then stores the fixed blueprint', async () => {
    const { page } = browser;
    await page.getByRole('link', { name: 'Blueprint' }).first().click();
    await page.getByRole('heading', { name: `Blueprint of ${PROJECT}` }).waitFor();
    const editor = page.locator('[data-testid=blueprint-editor] .cm-content');
    await editor.click();
    await page.keyboard.press('Control+A');
    await page.keyboard.insertText(BROKEN);
    const problem = page.getByRole('list', { name: 'Problems' }).getByRole('listitem').filter({ hasText: 'InvalidName' });
    await problem.waitFor();
    expect(await problem.textContent()).toContain(`Line ${MISTAKE_LINE}`);
    await page.locator('.cm-lint-marker-error').first().waitFor();
    expect(await page.getByRole('button', { name: 'Submit blueprint' }).isDisabled()).toBe(true);
    await scan('03-blueprint-problem');

    await editor.click();
    await page.keyboard.press('Control+A');
    await page.keyboard.insertText(TINY);
    await page.getByText('No problems: the blueprint is valid.').waitFor();
    await page.getByRole('button', { name: 'Submit blueprint' }).click();
    await page.getByRole('status').filter({ hasText: 'Stored as version 1.' }).waitFor();
    await page.getByRole('cell', { name: 'v1', exact: true }).waitFor();
    await scan('04-blueprint-stored');
  });

  it('starts ProjectBootstrap and approves the architecture from the inbox', async () => {
    const { page } = browser;
    await page.getByRole('link', { name: 'Workflows' }).click();
    await page.getByRole('button', { name: 'Start ProjectBootstrap' }).click();
    await page.getByRole('heading', { name: /^Run wf-/ }).waitFor();
    const inboxLink = page.getByRole('link', { name: 'open in the inbox' });
    await inboxLink.waitFor({ timeout: 180_000 });
    await scan('05-run-waiting');
    await inboxLink.click();
    await page.getByRole('heading', { name: 'Approvals' }).waitFor();
    const architecture = page.getByRole('article', { name: 'docs/architecture.md' });
    await architecture.waitFor();
    await architecture.locator('figure.mermaid svg').first().waitFor();
    await page.getByRole('article', { name: 'docs/vision.md' }).waitFor();
    await scan('06-approvals-inbox');
    await page.getByLabel('Comment').fill('Looks right to me.');
    await page.getByRole('button', { name: 'Approve' }).click();
    await page.getByRole('status').filter({ hasText: 'Approved.' }).waitFor();
    const decided = await app.call('GET', `tenants/${tenant.tenantId}/approvals?status=approved`, { key: tenant.keys.viewer });
    expect(decided.body.items).toEqual([expect.objectContaining({ gate: 'ArchitectureApproval', comment: 'Looks right to me.' })]);
  });

  it('follows the run live until the timeline finishes', async () => {
    const { page } = browser;
    await page.getByRole('link', { name: /^wf-/ }).click();
    await page.getByRole('heading', { name: /^Run wf-/ }).waitFor();
    await page.getByRole('heading', { name: /^Run wf-.*Completed/ }).waitFor({ timeout: 600_000 });
    const rows = page.getByRole('list', { name: 'Step timeline' }).getByRole('listitem');
    const statuses = await rows.evaluateAll((items) => items.map((item) => item.getAttribute('data-status')));
    expect(statuses.length).toBeGreaterThan(8);
    expect(new Set(statuses)).toEqual(new Set(['succeeded']));
    await page.getByRole('button', { name: 'Show history' }).click();
    await page.getByRole('cell', { name: 'ExecutionCompleted' }).waitFor();
    await scan('07-run-completed');
    await page.getByRole('button', { name: 'Dark' }).click();
    await scan('08-run-completed-dark');
    await page.getByRole('button', { name: 'Light' }).click();
  });

  it('opens a generated source file with highlighting and its lineage graph', async () => {
    const { page } = browser;
    await page.getByRole('link', { name: 'Artifacts' }).click();
    await page.getByRole('link', { name: 'pet-service/src/app.ts' }).click();
    const code = page.locator('[data-testid=code-view] .cm-content');
    await code.waitFor();
    expect(await code.textContent()).toMatch(/import/);
    expect(await page.locator('[data-testid=code-view] .cm-line span[class]').count()).toBeGreaterThan(0);
    await page.getByRole('group', { name: /Lineage of pet-service\/src\/app.ts/ }).locator('svg').waitFor();
    await page.getByRole('list', { name: 'Lineage inputs' }).getByRole('link', { name: 'pet-service/openapi.yaml' }).waitFor();
    await scan('09-artifact-lineage');
  });

  it('verifies the audit chain', async () => {
    const { page } = browser;
    await page.getByRole('link', { name: 'Audit' }).click();
    await page.getByRole('table', { name: 'Audit entries' }).waitFor();
    await page.getByRole('button', { name: 'Verify chain' }).click();
    expect(await page.getByTestId('verify-result').textContent()).toMatch(/^Chain intact: \d+ entries checked/);
    await scan('10-audit');
  });

  it('shows the cost chart with the budget and % used', async () => {
    const { page } = browser;
    await page.getByRole('link', { name: 'Costs' }).click();
    await page.getByTestId('cost-chart').waitFor();
    expect(await page.getByTestId('budget-used').textContent()).toMatch(/spent of \$25\.00 — \d+\.\d% used/);
    expect(await page.getByTestId('cost-chart').getAttribute('aria-label')).toContain('budget $25.00');
    await scan('11-costs');
  });

  it('shows the workflows list, delivery and tenants pages', async () => {
    const { page } = browser;
    await page.getByRole('link', { name: 'Projects' }).click();
    await page.getByRole('link', { name: 'Workflows' }).first().click();
    await page.getByTestId('workflow-list').waitFor();
    await page.getByLabel('Status').selectOption('Failed');
    await page.getByText('No workflow matches.').waitFor();
    await page.getByLabel('Status').selectOption('Completed');
    await page.getByTestId('workflow-list').waitFor();
    await scan('12-workflows');
    await page.getByRole('link', { name: 'Delivery' }).click();
    await page.getByRole('heading', { name: `Delivery of ${PROJECT}` }).waitFor();
    await page.getByRole('listitem', { name: 'Environment dev' }).waitFor();
    await scan('13-delivery');

    await page.getByRole('button', { name: 'Sign out' }).click();
    await signIn(page, app.host.origin, ADMIN_KEY, tenant.tenantId);
    await page.getByRole('link', { name: 'Tenants' }).click();
    await page.getByLabel('Tenant id').last().fill(tenant.tenantId);
    await page.getByRole('button', { name: 'Open', exact: true }).click();
    await page.getByRole('link', { name: `Tenant ${tenant.tenantId}` }).waitFor();
    await scan('14-tenants');

    // A narrow window: the navigation folds above the content, nothing needs a horizontal scroll.
    await page.setViewportSize({ width: 800, height: 1000 });
    await page.getByRole('link', { name: `Tenant ${tenant.tenantId}` }).click();
    await page.getByRole('rowheader', { name: new RegExp(PROJECT) }).waitFor();
    expect(await page.evaluate('document.documentElement.scrollWidth <= window.innerWidth')).toBe(true);
    await scan('15-projects-narrow');
  });

  it('has no serious or critical accessibility violations on any page', () => {
    expect(Object.keys(violations).length).toBeGreaterThanOrEqual(15);
    expect(Object.fromEntries(Object.entries(violations).filter(([, found]) => found.length))).toEqual({});
    expect(browser.errors).toEqual([]);
  });
});
