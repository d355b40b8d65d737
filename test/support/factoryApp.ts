import { HostProcess, repoRoot, spawnHost } from './hostProcess';

/** The bootstrap PlatformAdmin key the factory app is started with in tests. */
export const ADMIN_KEY = 'test-admin-key-0123456789abcdef0123456789';

export interface ApiResponse<T = unknown> {
  status: number;
  headers: Headers;
  body: T;
}

/** A running factory app (the repository root) on the local host, and a small client for its API. */
export interface FactoryApp {
  host: HostProcess;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- test responses are asserted field by field
  call<T = any>(method: string, path: string, options?: { key?: string; body?: unknown; raw?: string; contentType?: string; headers?: Record<string, string> }): Promise<ApiResponse<T>>;
  stop(): Promise<void>;
}

export async function startFactoryApp(options: { dataDir?: string; env?: NodeJS.ProcessEnv; appDir?: string; port?: number } = {}): Promise<FactoryApp> {
  // API rate limits are off unless a test sets them: suites call the API back to back far faster than
  // any client may (test/platform/rateLimit.test.ts tests the limits themselves).
  const noRateLimits = { FACTORY_RATE_LIMIT_TENANT_RPS: '0', FACTORY_RATE_LIMIT_PRINCIPAL_RPS: '0' };
  const host = await spawnHost(options.appDir ?? repoRoot, { dataDir: options.dataDir, port: options.port, env: { FACTORY_ADMIN_KEY: ADMIN_KEY, ...noRateLimits, ...options.env } });
  return {
    host,
    async call(method, path, opts = {}) {
      const headers: Record<string, string> = { ...(opts.headers ?? {}) };
      const key = opts.key === undefined ? ADMIN_KEY : opts.key;
      if (key) headers.authorization = `Bearer ${key}`;
      let body: string | undefined;
      if (opts.raw !== undefined) {
        body = opts.raw;
        headers['content-type'] = opts.contentType ?? 'application/json';
      } else if (opts.body !== undefined) {
        body = JSON.stringify(opts.body);
        headers['content-type'] = 'application/json';
      }
      const res = await fetch(`${host.origin}/api/${path.replace(/^\//, '')}`, { method, headers, body });
      const text = await res.text();
      let parsed: unknown = text;
      try {
        parsed = text ? JSON.parse(text) : undefined;
      } catch {
        /* not JSON */
      }
      return { status: res.status, headers: res.headers, body: parsed as never };
    },
    stop: () => host.stop(),
  };
}
