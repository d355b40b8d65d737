import { BurstyRateLimiter, RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import type { Principal } from '../auth/principal';
import { QuotaExceeded } from './errors';

/**
 * Request rates of the `/api` routes, in tokens per second: a read (GET, HEAD) takes one token, a
 * change (POST, PUT, PATCH, DELETE) takes `WRITE_COST`, because a create costs the host many times
 * a point read (validation, a transactional batch, the outbox, often a blob). A bucket refills at
 * the rate and holds `burstSeconds` worth. 0 switches a limit off.
 */
export interface RateLimitSettings {
  /** All principals of one tenant together. */
  tenantPerSecond: number;
  /** One principal (API key or Entra identity); PlatformAdmin principals get ten times this. */
  principalPerSecond: number;
  burstSeconds: number;
}

/** Tokens a state-changing request takes. */
export const WRITE_COST = 5;

/**
 * Defaults: a key may read 50 times a second or change 10 things a second, a tenant twice that, with
 * bursts of 2 seconds' worth. Measured on two cores (bench row "create flood"), this keeps one
 * tenant's create flood from taking the host from the others, while interactive clients (Studio,
 * CLI, polling `watch`) stay far below it.
 */
export const DEFAULT_RATE_LIMITS: RateLimitSettings = { tenantPerSecond: 100, principalPerSecond: 50, burstSeconds: 2 };

/** Admits a request or throws 429 (`RateLimited`, with `Retry-After` in whole seconds). */
export interface RequestAdmission {
  admit(principal: Principal, tenantId: string | undefined, method?: string): Promise<void>;
}

type Bucket = BurstyRateLimiter | undefined;

const READS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Token buckets per principal and per tenant, in process memory (`rate-limiter-flexible`'s
 * `BurstyRateLimiter`: a steady limiter at the rate, and a reserve of `burstSeconds` worth that
 * refills over a minute and is drawn on when the steady one is empty). One process's view: with
 * several instances in Azure, each applies the limits on its own.
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

  /** Takes the request's tokens from the principal's bucket, then (for tenant principals, or any principal on a tenant route) the tenant's. */
  async admit(principal: Principal, tenantId: string | undefined, method = 'GET'): Promise<void> {
    const cost = READS.has(method.toUpperCase()) ? 1 : WRITE_COST;
    const platformAdmin = principal.roles.includes('PlatformAdmin');
    await take(platformAdmin ? this.platform : this.principal, principal.id, cost, 'this API key or identity');
    const tenant = tenantId ?? principal.tenantId ?? undefined;
    if (tenant && !platformAdmin) await take(this.tenant, tenant, cost, `tenant '${tenant}'`);
  }
}

/** Burst tokens come back over this long, so a client cannot live on bursts (they add 1/30 of the rate). */
const BURST_REFILL_SECONDS = 60;

function bucket(prefix: string, perSecond: number, burstSeconds: number): Bucket {
  if (!(perSecond > 0)) return undefined;
  const steady = new RateLimiterMemory({ keyPrefix: `${prefix}-rate`, points: Math.ceil(perSecond), duration: 1 });
  const burst = new RateLimiterMemory({ keyPrefix: `${prefix}-burst`, points: Math.ceil(perSecond * burstSeconds), duration: BURST_REFILL_SECONDS });
  return new BurstyRateLimiter(steady, burst);
}

async function take(limiter: Bucket, key: string, cost: number, who: string): Promise<void> {
  if (!limiter) return;
  try {
    await limiter.consume(key, cost);
  } catch (rejection) {
    if (!(rejection instanceof RateLimiterRes)) throw rejection;
    const seconds = Math.max(1, Math.ceil(rejection.msBeforeNext / 1000));
    throw new QuotaExceeded(`Too many requests from ${who}; retry after ${seconds} s.`, { code: 'RateLimited', retryAfterSeconds: seconds });
  }
}
