import type { Principal } from '../platform/auth/principal';
import type { PrincipalGuard } from '../platform/auth/principalGuards';
import { Unauthorized } from '../platform/http/errors';
import type { DocumentStore } from '../platform/ports';
import { TenantStore } from './store';

/**
 * Refuses every principal of a suspended or deleted tenant (401, the message every bad credential
 * gets). Read on each request, not cached, so a suspension takes effect with the next request.
 * Platform principals (no tenant) pass.
 */
export class TenantStatusGuard implements PrincipalGuard {
  private readonly tenants: TenantStore;

  constructor(deps: { store: DocumentStore }) {
    this.tenants = new TenantStore(deps.store);
  }

  async admit(principal: Principal): Promise<void> {
    if (principal.tenantId === null) return;
    const tenant = await this.tenants.read(principal.tenantId);
    if (tenant && (tenant.status === 'suspended' || tenant.status === 'deleted')) throw new Unauthorized('Missing or invalid credentials.');
  }
}
