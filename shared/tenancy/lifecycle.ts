import type { ApiKeyService } from '../platform/auth/apiKeyService';
import type { ChangeContext, EventOutbox } from '../platform/eventOutbox';
import { Conflict, NotFound } from '../platform/http/errors';
import { StoreConflict, type DocumentStore } from '../platform/ports';
import { toTenantStatusChanged } from './events';
import { toTenantView, type TenantDocument, type TenantStatus, type TenantView } from './schemas';
import { TenantRegistry } from './registry';
import { forgetTenantStatus } from './statusGuard';
import { TENANTS_CONTAINER, TenantStore } from './store';

export interface TenantLifecycleDeps {
  store: DocumentStore;
  outbox: EventOutbox;
  apiKeys: Pick<ApiKeyService, 'list' | 'revoke'>;
  now?: () => Date;
}

const MAX_ATTEMPTS = 20;

/**
 * Suspending, resuming and deleting tenants (PlatformAdmin; issue 9 §5). The status is checked on
 * every authenticated request (`TenantStatusGuard`), so a suspended or deleted tenant's keys and
 * tokens stop working with the next request. Deleting also revokes every key for good; the tenant
 * record and its audit trail stay (ids are not reused), its data is no longer served.
 */
export class TenantLifecycle {
  private readonly tenants: TenantStore;
  private readonly registry: TenantRegistry;
  private readonly now: () => Date;

  constructor(private readonly deps: TenantLifecycleDeps) {
    this.tenants = new TenantStore(deps.store);
    this.registry = new TenantRegistry(deps.store);
    this.now = deps.now ?? (() => new Date());
  }

  /** Suspends an active tenant; suspending again changes nothing. */
  suspend(tenantId: string, reason: string | undefined, change: ChangeContext): Promise<TenantView> {
    return this.move(tenantId, 'suspended', { reason }, change);
  }

  /** Resumes a suspended tenant; an active one is returned as is. */
  resume(tenantId: string, change: ChangeContext): Promise<TenantView> {
    return this.move(tenantId, 'active', {}, change);
  }

  /** Deletes a tenant (from active or suspended) and revokes its keys; deleting again answers 404. */
  async delete(tenantId: string, reason: string | undefined, change: ChangeContext): Promise<TenantView> {
    const view = await this.move(tenantId, 'deleted', { reason }, change);
    await this.revokeKeys(tenantId);
    return view;
  }

  private async move(tenantId: string, status: TenantStatus, details: { reason?: string }, change: ChangeContext): Promise<TenantView> {
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const found = await this.tenants.read(tenantId);
      if (!found || found.status === 'deleted') throw new NotFound(`Tenant '${tenantId}' was not found.`);
      const { _etag, ...current } = found;
      if ((current.status ?? 'active') === status) return toTenantView(current);
      const at = this.now().toISOString();
      const next: TenantDocument = { ...current, status, updatedAt: at, ...(status === 'suspended' ? { suspendedAt: at } : {}), ...(status === 'deleted' ? { deletedAt: at } : {}) };
      if (status === 'active') delete next.suspendedAt;
      const revokedKeys = status === 'deleted' ? await this.countActiveKeys(tenantId) : undefined;
      forgetTenantStatus(this.deps.store, tenantId);
      try {
        await this.deps.outbox.commit(TENANTS_CONTAINER, { tenantId }, [{ op: 'replace', document: next, ifMatch: _etag }], [toTenantStatusChanged(next, status, { ...details, revokedKeys }, change)]);
        forgetTenantStatus(this.deps.store, tenantId);
        await this.registry.refresh(tenantId);
        return toTenantView(next);
      } catch (error) {
        forgetTenantStatus(this.deps.store, tenantId);
        if (!(error instanceof StoreConflict)) throw error;
      }
    }
    throw new Conflict(`Tenant '${tenantId}' is changing concurrently; retry.`);
  }

  private async countActiveKeys(tenantId: string): Promise<number> {
    let count = 0;
    await this.eachKey(tenantId, (key) => void (key.revokedAt ? undefined : count++));
    return count;
  }

  private async revokeKeys(tenantId: string): Promise<void> {
    const ids: string[] = [];
    await this.eachKey(tenantId, (key) => void (key.revokedAt ? undefined : ids.push(key.keyId)));
    for (const keyId of ids) await this.deps.apiKeys.revoke(tenantId, keyId);
  }

  private async eachKey(tenantId: string, visit: (key: { keyId: string; revokedAt?: string }) => void): Promise<void> {
    let continuation: string | undefined;
    do {
      const page = await this.deps.apiKeys.list(tenantId, { limit: 100, continuation });
      page.items.forEach(visit);
      continuation = page.continuation;
    } while (continuation);
  }
}
