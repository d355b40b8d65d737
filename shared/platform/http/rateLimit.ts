import { BurstyRateLimiter, RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import type { Principal } from '../auth/principal';
import { QuotaExceeded } from './errors';

/**
 * Request rates of the `/api` routes, in requests per second. A bucket refills at the rate and holds
 * `burstSeconds` worth, so a client may burst briefly and then runs at the rate. 0 switches a limit off.
 */
export interface RateLimitSettings {
  /** All principals of one tenant together. */
  tenantPerSecond: number;
  /** One principal (API key or Entra identity); PlatformAdmin principals get ten times this. */
  principalPerSecond: number;
  burstSeconds: number;
}

/**
 * Defaults sized so one tenant cannot take the host from the others (the local host serves about
 * 2,000 point reads/s on two cores: README "Benchmarks"), while a scripted client running calls one
 * after another stays well within its burst.
 */
export const DEFAULT_RATE_LIMITS: RateLimitSettings = { tenantPerSecond: 200, principalPerSecond: 100, burstSeconds: 10 };

/** Admits a request or throws 429 (`RateLimited`, with `Retry-After` in whole seconds). */
export interface RequestAdmission {
  admit(principal: Principal, tenantId: string | undefined): Promise<void>;
}

type Bucket = BurstyRateLimiter | undefined;

/**
 * Token buckets per principal and per tenant, in process memory (`rate-limiter-flexible`: a steady
 * limiter at the rate plus a burst limiter over `burstSeconds`, which together behave as a token
 * bucket). One process's view: with several instances in Azure, each applies the limits on its own.
 */
export class RequestRateLimiter implements RequestAdmission {
  private readonly tenant: Bucket;
  private readonly principal: Bucket;
  private readonly platform: Bucket;

  constructor(settings: RateLimitSettings = DEFAULT_RATE_LIMITS) {
    this.tenant = bucket('tenant', settings.tenantPerSecond, settings.burstSeconds);
    this.principal = bucket('principal', settings.principalPerSecond, settings.burstSeconds);
    this.platform = bucket('platform', settings.principalPerSecond * 10, settings.burstSeconds);
  }

  /** The principal's bucket, then (for tenant principals, or any principal on a tenant route) the tenant's. */
  async admit(principal: Principal, tenantId: string | undefined): Promise<void> {
    const platformAdmin = principal.roles.includes('PlatformAdmin');
    await take(platformAdmin ? this.platform : this.principal, principal.id, 'this API key or identity');
    const tenant = tenantId ?? principal.tenantId ?? undefined;
    if (tenant && !platformAdmin) await take(this.tenant, tenant, `tenant '${tenant}'`);
  }
}

function bucket(prefix: string, perSecond: number, burstSeconds: number): Bucket {
  if (!(perSecond > 0)) return undefined;
  const steady = new RateLimiterMemory({ keyPrefix: `${prefix}-rate`, points: Math.ceil(perSecond), duration: 1 });
  const burst = new RateLimiterMemory({ keyPrefix: `${prefix}-burst`, points: Math.ceil(perSecond * burstSeconds), duration: burstSeconds });
  return new BurstyRateLimiter(steady, burst);
}

async function take(limiter: Bucket, key: string, who: string): Promise<void> {
  if (!limiter) return;
  try {
    await limiter.consume(key, 1);
  } catch (rejection) {
    if (!(rejection instanceof RateLimiterRes)) throw rejection;
    const seconds = Math.max(1, Math.ceil(rejection.msBeforeNext / 1000));
    throw new QuotaExceeded(`Too many requests from ${who}; retry after ${seconds} s.`, { code: 'RateLimited', retryAfterSeconds: seconds });
  }
}
