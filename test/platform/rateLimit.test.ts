import { newApiKeyToken } from '../../shared/platform/auth/apiKeyToken';
import type { Principal } from '../../shared/platform/auth/principal';
import { QuotaExceeded } from '../../shared/platform/http/errors';
import { RequestRateLimiter, WRITE_COST } from '../../shared/platform/http/rateLimit';
import { startFactoryApp, type FactoryApp } from '../support/factoryApp';

const principal = (id: string, tenantId: string | null, roles: Principal['roles'] = ['Developer']): Principal => ({ id, tenantId, roles, kind: 'apiKey' });

async function admitted(limiter: RequestRateLimiter, who: Principal, tenantId: string | undefined, attempts: number): Promise<{ admitted: number; rejection?: QuotaExceeded }> {
  let count = 0;
  for (let i = 0; i < attempts; i++) {
    try {
      await limiter.admit(who, tenantId);
      count++;
    } catch (error) {
      if (error instanceof QuotaExceeded) return { admitted: count, rejection: error };
      throw error;
    }
  }
  return { admitted: count };
}

describe('request rate limits (token buckets per principal and tenant)', () => {
  it('stops a principal at its burst with 429 RateLimited and a Retry-After in whole seconds', async () => {
    const limiter = new RequestRateLimiter({ tenantPerSecond: 1000, principalPerSecond: 5, burstSeconds: 60 });
    const { admitted: count, rejection } = await admitted(limiter, principal('apikey:a', 'acme'), 'acme', 1000);
    expect(count).toBeGreaterThanOrEqual(300); // 60 s of 5/s, plus the steady second's
    expect(count).toBeLessThan(1000);
    expect(rejection).toMatchObject({ status: 429, code: 'RateLimited' });
    expect(Number(rejection!.headers['Retry-After'])).toBeGreaterThanOrEqual(1);
    // Another principal of the same tenant has its own bucket.
    expect((await admitted(limiter, principal('apikey:b', 'acme'), 'acme', 10)).admitted).toBe(10);
  });

  it("stops all of a tenant's principals together at the tenant's bucket, and leaves other tenants alone", async () => {
    const limiter = new RequestRateLimiter({ tenantPerSecond: 2, principalPerSecond: 1000, burstSeconds: 60 });
    let total = 0;
    for (let key = 0; key < 20; key++) total += (await admitted(limiter, principal(`apikey:${key}`, 'flood'), 'flood', 20)).admitted;
    expect(total).toBeLessThan(400);
    const blocked = await admitted(limiter, principal('apikey:fresh', 'flood'), 'flood', 1);
    expect(blocked.rejection?.message).toContain("tenant 'flood'");
    expect((await admitted(limiter, principal('apikey:calm', 'calm'), 'calm', 50)).admitted).toBe(50);
  });

  it('charges a change five times a read', async () => {
    const limiter = new RequestRateLimiter({ tenantPerSecond: 0, principalPerSecond: 10, burstSeconds: 10 });
    const reads = { admitted: 0 };
    for (let i = 0; i < 200; i++) {
      try {
        await limiter.admit(principal('apikey:reader', 'acme'), 'acme', 'GET');
        reads.admitted++;
      } catch {
        break;
      }
    }
    let writes = 0;
    for (let i = 0; i < 200; i++) {
      try {
        await limiter.admit(principal('apikey:writer', 'acme'), 'acme', 'POST');
        writes++;
      } catch {
        break;
      }
    }
    expect(writes * WRITE_COST).toBeLessThanOrEqual(reads.admitted + WRITE_COST);
    expect(writes * WRITE_COST).toBeGreaterThanOrEqual(reads.admitted - 2 * WRITE_COST);
  });

  it('refuses an exhausted key before authentication, and a forged token cannot drain anyone', async () => {
    const limiter = new RequestRateLimiter({ tenantPerSecond: 1000, principalPerSecond: 3, burstSeconds: 1 });
    const busy = newApiKeyToken('acme');
    const fresh = newApiKeyToken('acme');
    for (let i = 0; i < 1000; i++) await limiter.refuseEarly(`Bearer ${fresh.token}`);
    expect((await admitted(limiter, principal(`apikey:${fresh.keyId}`, 'acme'), 'acme', 6)).admitted).toBe(6);
    const { rejection } = await admitted(limiter, principal(`apikey:${busy.keyId}`, 'acme'), 'acme', 100);
    expect(rejection?.code).toBe('RateLimited');
    await expect(limiter.refuseEarly(`Bearer ${busy.token}`)).rejects.toMatchObject({ status: 429, code: 'RateLimited' });
    await expect(limiter.refuseEarly('Bearer not-a-factory-key')).resolves.toBeUndefined();
    await expect(limiter.refuseEarly(null)).resolves.toBeUndefined();
  });

  it('keeps PlatformAdmin out of tenant buckets (its own bucket is ten times a principal’s) and switches off at 0', async () => {
    const limiter = new RequestRateLimiter({ tenantPerSecond: 1, principalPerSecond: 1, burstSeconds: 10 });
    expect((await admitted(limiter, principal('apikey:admin', null, ['PlatformAdmin']), 'acme', 50)).admitted).toBe(50);
    const off = new RequestRateLimiter({ tenantPerSecond: 0, principalPerSecond: 0, burstSeconds: 10 });
    expect((await admitted(off, principal('apikey:x', 'acme'), 'acme', 5000)).admitted).toBe(5000);
  });
});

describe('rate limits through the local host', () => {
  let app: FactoryApp;
  const keys: Record<string, string> = {};

  beforeAll(async () => {
    app = await startFactoryApp({ env: { FACTORY_RATE_LIMIT_TENANT_RPS: '1', FACTORY_RATE_LIMIT_PRINCIPAL_RPS: '1', FACTORY_RATE_LIMIT_BURST_SECONDS: '20' } });
    for (const tenantId of ['noisy', 'quiet']) {
      // enterprise: its project quota (1,000) is far beyond the burst, so the 429 is the rate limit's
      expect((await app.call('POST', 'tenants', { body: { tenantId, name: tenantId, edition: 'enterprise' } })).status).toBe(201);
      keys[tenantId] = (await app.call<{ secret: string }>('POST', `tenants/${tenantId}/keys`, { body: { name: 'admin', roles: ['TenantAdmin'] } })).body.secret;
    }
  }, 120_000);
  afterAll(() => app?.stop());

  it("answers a tenant's flood with 429 problem+json and Retry-After, while another tenant is served", async () => {
    let limited: Awaited<ReturnType<FactoryApp['call']>> | undefined;
    for (let i = 0; i < 500 && !limited; i++) {
      const res = await app.call('POST', 'tenants/noisy/projects', { key: keys.noisy, body: { projectId: `p${i}`, name: `P${i}` } });
      if (res.status === 429) limited = res;
      else expect([201, 429]).toContain(res.status);
    }
    expect(limited).toBeDefined();
    expect(limited!.headers.get('content-type')).toContain('application/problem+json');
    expect(Number(limited!.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(limited!.body).toMatchObject({ status: 429, code: 'RateLimited' });
    expect((await app.call('GET', 'tenants/quiet/projects', { key: keys.quiet })).status).toBe(200);
  }, 120_000);
});
