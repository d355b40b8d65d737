import type { ApiKeySummary } from '../platform/auth/apiKeySchemas';
import type { ApiKeyService } from '../platform/auth/apiKeyService';
import type { Principal } from '../platform/auth/principal';
import type { ChangeContext, EventOutbox } from '../platform/eventOutbox';
import { QuotaExceeded, Validation } from '../platform/http/errors';
import type { Page } from '../platform/ports';
import type { TenantService } from '../tenancy/service';
import { toApiKeyCreated, toApiKeyRevoked } from './events';
import type { CreatedApiKey, KeyPageQuery, MeView, NewApiKey } from './schemas';
import { IDENTITY_CONTAINER, } from './store';

export interface IdentityDeps {
  apiKeys: ApiKeyService;
  outbox: EventOutbox;
  tenants: TenantService;
  now?: () => Date;
}

/**
 * API keys of a tenant: each create and revoke commits with its event in one batch of the tenant's
 * `identity` partition, so every key change reaches the audit trail.
 */
export class IdentityService {
  private readonly now: () => Date;

  constructor(private readonly deps: IdentityDeps) {
    this.now = deps.now ?? (() => new Date());
  }

  /** A new key of an existing tenant; its secret is in this answer only. */
  async createKey(tenantId: string, input: NewApiKey, change: ChangeContext): Promise<CreatedApiKey> {
    if (input.expiresAt && Date.parse(input.expiresAt) <= this.now().getTime()) {
      throw new Validation([{ path: 'body.expiresAt', message: 'must be in the future' }]);
    }
    await this.requireKeyQuota(tenantId);
    return this.deps.apiKeys.create(tenantId, input, (operations, key) =>
      this.deps.outbox.commit(IDENTITY_CONTAINER, { tenantId }, operations, [toApiKeyCreated(key, change)]),
    );
  }

  /**
   * The edition's `maxApiKeys` counts keys that still work (not revoked, not expired). Checked before
   * the write: concurrent creates may pass it together, by at most their number.
   */
  private async requireKeyQuota(tenantId: string): Promise<void> {
    const { maxApiKeys, edition } = await this.deps.tenants.entitlements(tenantId);
    const now = this.now().getTime();
    let active = 0;
    let continuation: string | undefined;
    do {
      const page = await this.deps.apiKeys.list(tenantId, { limit: 1000, continuation });
      active += page.items.filter((key) => !key.revokedAt && !(key.expiresAt && Date.parse(key.expiresAt) <= now)).length;
      continuation = page.continuation;
    } while (continuation && active < maxApiKeys);
    if (active >= maxApiKeys) {
      throw new QuotaExceeded(`The ${edition} edition allows ${maxApiKeys} API keys; tenant '${tenantId}' has ${active}. Revoke one first.`, { code: 'ApiKeyQuotaExceeded' });
    }
  }

  async listKeys(tenantId: string, page: KeyPageQuery): Promise<Page<ApiKeySummary>> {
    await this.deps.tenants.require(tenantId);
    return this.deps.apiKeys.list(tenantId, page);
  }

  /** Revokes a key of the tenant (404 for any other); a second revoke changes and emits nothing. */
  async revokeKey(tenantId: string, keyId: string, change: ChangeContext): Promise<void> {
    await this.deps.apiKeys.revoke(tenantId, keyId, (operations, key) =>
      this.deps.outbox.commit(IDENTITY_CONTAINER, { tenantId }, operations, [toApiKeyRevoked(key, change)]),
    );
  }

  /** The caller, as authenticated. */
  me(principal: Principal): MeView {
    const { id, tenantId, roles, kind, name } = principal;
    return { id, tenantId, roles, kind, ...(name ? { name } : {}) };
  }
}
