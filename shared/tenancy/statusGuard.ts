import type { Principal } from '../platform/auth/principal';
import type { PrincipalGuard } from '../platform/auth/principalGuards';
import { Unauthorized } from '../platform/http/errors';
import type { DocumentStore } from '../platform/ports';
import { ShortLivedCache } from '../platform/shortLivedCache';
import { TenantStore } from './store';

/**
 * Refuses every principal of a suspended or deleted tenant (401, the message every bad credential
 * gets). The status is kept for at most SHORT_LIVED_TTL_MS and dropped by every status change of
 * this process (`forgetTenantStatus`), so a suspension takes effect with the next request here and
 * within that time on other instances. Platform principals (no tenant) pass.
 */
export class TenantStatusGuard implements PrincipalGuard {
  private readonly tenants: TenantStore;
  private readonly refused: ShortLivedCache<boolean>;

  constructor(deps: { store: DocumentStore }) {
    this.tenants = new TenantStore(deps.store);
    this.refused = tenantStatusCache(deps.store);
  }

  async admit(principal: Principal): Promise<void> {
    if (principal.tenantId === null) return;
    let refused = this.refused.get(principal.tenantId);
    if (refused === undefined) {
      const generation = this.refused.generation();
      const tenant = await this.tenants.read(principal.tenantId);
      refused = tenant !== undefined && (tenant.status === 'suspended' || tenant.status === 'deleted');
      this.refused.put(principal.tenantId, generation, { document: principal.tenantId, value: refused });
    }
    if (refused) throw new Unauthorized('Missing or invalid credentials.');
  }
}

function tenantStatusCache(store: DocumentStore): ShortLivedCache<boolean> {
  return new ShortLivedCache<boolean>(store, 'tenantRefused');
}

/** Drops the kept status of `tenantId`: call before and after every write of its status. */
export function forgetTenantStatus(store: DocumentStore, tenantId: string): void {
  tenantStatusCache(store).invalidate(tenantId);
}
