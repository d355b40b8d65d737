import type { HttpRequest, HttpResponseInit, InvocationContext } from '@azure/functions';
import { getPlatform } from './composition';

/** `GET /api/health`: anonymous; each adapter's check, and where this instance keeps its data. */
export async function getHealth(_request: HttpRequest, _context: InvocationContext): Promise<HttpResponseInit> {
  const local = process.env.FACTORY_HOST_DATA_DIR;
  const base = {
    service: 'software-factory',
    version: process.env.npm_package_version ?? '0.1.0',
    runtime: local ? 'local' : 'azure',
    time: new Date().toISOString(),
  };
  try {
    const platform = await getPlatform();
    const checks = await platform.health();
    const ok = checks.every((c) => c.ok);
    return {
      status: ok ? 200 : 503,
      jsonBody: { status: ok ? 'ok' : 'degraded', ...base, ...(local ? { dataDir: platform.dataDir } : {}), adapters: platform.adapters, checks },
    };
  } catch (error) {
    return { status: 503, jsonBody: { status: 'failed', ...base, error: (error as Error).message } };
  }
}
