import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { chromium } from 'playwright-core';
import { factoryAppDir } from './children';
import { startFactory } from './factory';

const STUDIO_DIST = path.join(factoryAppDir, 'dist', 'studio');
const TINY = fs.readFileSync(path.join(factoryAppDir, 'test/fixtures/blueprints/tiny.yaml'), 'utf8');
const CHROMIUM_FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'];

/**
 * Bytes a first visit downloads before the sign-in page renders, gzipped (level 6, what the
 * server's zlib default sends for index.html; assets are sent at level 9, so this is an upper
 * bound): index.html plus every script, modulepreload and stylesheet it names. Lazy pages
 * (editor, charts, Mermaid, MSAL) are not part of it.
 */
export function firstPageGzipBytes(): { bytes: number; files: number } {
  const html = fs.readFileSync(path.join(STUDIO_DIST, 'index.html'));
  const refs = [...html.toString('utf8').matchAll(/(?:src|href)="\.\/(assets\/[^"]+)"/g)].map((m) => m[1]);
  const sizes = [html, ...refs.map((ref) => fs.readFileSync(path.join(STUDIO_DIST, ref)))].map((bytes) => gzipSync(bytes).length);
  return { bytes: sizes.reduce((a, b) => a + b, 0), files: sizes.length };
}

/** In the page: performance.now() once the workflow list has a row (a function, not a string: the Studio's CSP forbids eval). */
function firstRowAt(): number | false {
  const page = globalThis as unknown as { document: { querySelector(selector: string): unknown }; performance: { now(): number } };
  return page.document.querySelector('[data-testid=workflow-list] tbody tr') ? page.performance.now() : false;
}

/**
 * Time from navigation start to the first row of a project's workflow list on screen, in Chromium
 * against the factory app on the local host (signed in through session storage, as after a
 * sign-in). The first load has a cold cache; the next `runs` reuse the browser's cache.
 */
export async function timeToWorkflowList(runs: number): Promise<{ coldMs: number; warmMs: number[] }> {
  const factory = await startFactory({ invocationLog: false });
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'studio-bench-'));
  const context = await chromium.launchPersistentContext(profile, { executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', headless: true, args: CHROMIUM_FLAGS });
  try {
    const { api, tenant } = factory;
    await api.call('POST', `tenants/${tenant.tenantId}/projects`, { key: tenant.admin, body: { projectId: 'bench', name: 'bench' } });
    await api.call('POST', `tenants/${tenant.tenantId}/projects/bench/blueprints`, { key: tenant.architect, raw: TINY, contentType: 'application/yaml' });
    await api.call('POST', `tenants/${tenant.tenantId}/projects/bench/workflows`, { key: tenant.admin, body: { kind: 'ProjectBootstrap' } });
    const session = JSON.stringify({ tenantId: tenant.tenantId, apiKey: tenant.viewer, kind: 'apiKey' });
    await context.addInitScript(`sessionStorage.setItem('factory-studio.session', ${JSON.stringify(session)})`);
    const url = `${factory.host.origin}/t/${tenant.tenantId}/p/bench/workflows`;
    const once = async () => {
      const page = await context.newPage();
      await page.goto(url);
      const handle = await page.waitForFunction(firstRowAt, undefined, { timeout: 60_000 });
      const ms = Number(await handle.jsonValue());
      await page.close();
      return ms;
    };
    const coldMs = await once();
    const warmMs: number[] = [];
    for (let i = 0; i < runs; i++) warmMs.push(await once());
    return { coldMs, warmMs };
  } finally {
    await context.close();
    fs.rmSync(profile, { recursive: true, force: true });
    await factory.host.stop();
  }
}

