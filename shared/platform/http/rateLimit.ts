import { BurstyRateLimiter, RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import { parseApiKeyToken } from '../auth/apiKeyToken';
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
  /** Before authentication: refuses a request whose API key or tenant has no tokens left, without taking any. */
  refuseEarly?(authorization: string | null): Promise<void>;
  admit(principal: Principal, tenantId: string | undefined, method?: string): Promise<void>;
}

type Bucket = { limiter: BurstyRateLimiter; steady: RateLimiterMemory; burst: RateLimiterMemory; steadyPoints: number; burstPoints: number } | undefined;

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

  /**
   * A flood that ignores Retry-After would otherwise cost an authentication (a store read and a hash)
   * per refused request. Only looks: tokens are taken after authentication, so a forged token
   * naming someone else's key cannot drain that key's or tenant's bucket.
   */
  async refuseEarly(authorization: string | null): Promise<void> {
    const token = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '')?.[1];
    const key = token ? parseApiKeyToken(token) : undefined;
    if (!key) return;
    const principalWait = await emptyFor(this.principal, `apikey:${key.keyId}`);
    if (principalWait !== undefined) throw rateLimited('this API key or identity', principalWait);
    const tenantWait = await emptyFor(this.tenant, key.tenantId);
    if (tenantWait !== undefined) throw rateLimited(`tenant '${key.tenantId}'`, tenantWait);
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
  const steadyPoints = Math.ceil(perSecond);
  const burstPoints = Math.ceil(perSecond * burstSeconds);
  const steady = new RateLimiterMemory({ keyPrefix: `${prefix}-rate`, points: steadyPoints, duration: 1 });
  const burst = new RateLimiterMemory({ keyPrefix: `${prefix}-burst`, points: burstPoints, duration: BURST_REFILL_SECONDS });
  return { limiter: new BurstyRateLimiter(steady, burst), steady, burst, steadyPoints, burstPoints };
}

/** When both the steady tokens and the reserve are used up: ms until the steady ones return (a look, nothing taken). */
async function emptyFor(bucket: Bucket, key: string): Promise<number | undefined> {
  if (!bucket) return undefined;
  const [steady, burst] = await Promise.all([bucket.steady.get(key), bucket.burst.get(key)]);
  const empty = (steady?.consumedPoints ?? 0) >= bucket.steadyPoints && (burst?.consumedPoints ?? 0) >= bucket.burstPoints;
  return empty ? (steady?.msBeforeNext ?? 1000) : undefined;
}

function rateLimited(who: string, msBeforeNext: number): QuotaExceeded {
  const seconds = Math.max(1, Math.ceil(msBeforeNext / 1000));
  return new QuotaExceeded(`Too many requests from ${who}; retry after ${seconds} s.`, { code: 'RateLimited', retryAfterSeconds: seconds });
}

async function take(bucket: Bucket, key: string, cost: number, who: string): Promise<void> {
  if (!bucket) return;
  try {
    await bucket.limiter.consume(key, cost);
  } catch (rejection) {
    if (!(rejection instanceof RateLimiterRes)) throw rejection;
    throw rateLimited(who, rejection.msBeforeNext);
  }
}
