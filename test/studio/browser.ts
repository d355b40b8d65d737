import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { repoRoot } from '../support/hostProcess';

/** Debian's Chromium; tests never download a browser (CI installs the package, see .ci/run). */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'];

/** Where the page screenshots go (test output, not committed). */
export const SCREENSHOTS = path.join(repoRoot, 'test-output', 'studio');

export interface StudioBrowser {
  context: BrowserContext;
  page: Page;
  /** Uncaught page errors seen so far. */
  errors: string[];
  close(): Promise<void>;
}

/** Chromium with a fresh profile, one page at a laptop size. */
export async function openChromium(viewport = { width: 1366, height: 900 }): Promise<StudioBrowser> {
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'studio-chromium-'));
  const context = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, headless: true, args: FLAGS, viewport });
  context.setDefaultTimeout(30_000);
  const page = context.pages()[0] ?? (await context.newPage());
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  return {
    context,
    page,
    errors,
    async close() {
      await context.close();
      fs.rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** Signs in through the form as a person would: paste the key (and the tenant when the key does not name it). */
export async function signIn(page: Page, origin: string, key: string, tenantId?: string): Promise<void> {
  await page.goto(`${origin}/`);
  await page.getByLabel('API key').fill(key);
  const tenant = page.getByLabel('Tenant');
  if (tenantId && (await tenant.isEnabled())) await tenant.fill(tenantId);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await page.getByRole('heading', { name: 'Projects', exact: true }).waitFor();
}

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[] }[];
}

/** Runs axe-core in the page and answers the serious and critical violations. */
export async function seriousViolations(page: Page): Promise<AxeViolation[]> {
  const source = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
  // Evaluated through the DevTools protocol: the Studio's CSP (rightly) refuses inline script tags.
  // Evaluated through the DevTools protocol (the root tsconfig has no DOM types, hence the strings):
  // the Studio's CSP rightly refuses inline script tags.
  if (!(await page.evaluate('typeof window.axe === "object"'))) await page.evaluate(source);
  const violations = (await page.evaluate('axe.run(document, { resultTypes: ["violations"] }).then((r) => r.violations)')) as AxeViolation[];
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map(({ id, impact, help, nodes }) => ({ id, impact, help, nodes: nodes.slice(0, 3).map((n) => ({ target: n.target })) }));
}

/** Saves a full-page screenshot as test output: test-output/studio/<name>.png. */
export async function screenshot(page: Page, name: string): Promise<string> {
  fs.mkdirSync(SCREENSHOTS, { recursive: true });
  const file = path.join(SCREENSHOTS, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}
