import type { EventSubscriber, EventSubscriberDeps } from '../platform/eventSubscribers';
import type { DocumentStore, Page, StoredDocument } from '../platform/ports';
import type { OutboxEvent } from '../platform/store/outboxDocument';
import { toTenantView, type TenantView } from './schemas';
import { TENANTS_CONTAINER, TenantStore } from './store';

/**
 * The platform's list of tenants. The store is partitioned by tenant, so listing them all needs an
 * index of its own: one entry per tenant in the reserved partition `_platform` of the `tenants`
 * container (no tenant can take that id: ids start with a letter or digit). An entry is a copy of the
 * tenant's view, refreshed from the tenant document (the source of truth) right after each change and
 * again when the change's event leaves the outbox — so a crash between the two writes is repaired
 * at least once, and the last refresh always copies the current document.
 */
export const PLATFORM_TENANTS_KEY = { tenantId: '_platform' } as const;

/** An entry of the registry: container `tenants`, partition `_platform`, id = the tenant's id. */
export interface TenantEntryDocument extends StoredDocument, Omit<TenantView, 'tenantId'> {
  type: 'tenantEntry';
  entryTenantId: string;
}

/** `?limit=&continuation=` of `GET /api/tenants`. */
export interface TenantPageQuery {
  limit: number;
  continuation?: string;
}

const TENANT_EVENT = /^Tenant(Created|Updated|Suspended|Resumed|Deleted)\.v\d+$/;

export class TenantRegistry {
  private readonly tenants: TenantStore;

  constructor(private readonly store: DocumentStore) {
    this.tenants = new TenantStore(store);
  }

  /** Copies the tenant's current state into its entry (idempotent; a missing tenant writes nothing). */
  async refresh(tenantId: string): Promise<void> {
    const tenant = await this.tenants.read(tenantId);
    if (!tenant) return;
    const { tenantId: entryTenantId, ...view } = toTenantView(tenant);
    const entry: TenantEntryDocument = { id: entryTenantId, tenantId: PLATFORM_TENANTS_KEY.tenantId, type: 'tenantEntry', entryTenantId, ...view };
    await this.store.upsert(TENANTS_CONTAINER, entry);
  }

  /** Tenants, oldest first; a continuation token the store refuses is a 400 at `query.continuation`. */
  async list(page: TenantPageQuery): Promise<Page<TenantView>> {
    const result = await this.store.query<TenantEntryDocument>(TENANTS_CONTAINER, PLATFORM_TENANTS_KEY, {
      where: [{ field: 'type', op: '=', value: 'tenantEntry' }],
      orderBy: { field: 'createdAt' },
      limit: page.limit,
      continuation: page.continuation,
    });
    const items = result.items.map(({ entryTenantId, name, edition, featureFlags, status, createdAt, updatedAt }) => ({ tenantId: entryTenantId, name, edition, featureFlags, status, createdAt, updatedAt }));
    return { items, ...(result.continuation ? { continuation: result.continuation } : {}) };
  }
}

/** The outbox subscriber that refreshes an entry for every tenant event (the crash-repair path). */
export function tenantRegistryFor(deps: EventSubscriberDeps): EventSubscriber {
  const registry = new TenantRegistry(deps.store);
  return {
    name: 'tenant-registry',
    async consume(events: readonly OutboxEvent[]): Promise<void> {
      const tenantIds = new Set(events.filter((event) => TENANT_EVENT.test(event.type) && typeof event.tenantid === 'string').map((event) => event.tenantid as string));
      for (const tenantId of tenantIds) await registry.refresh(tenantId);
    },
  };
}
