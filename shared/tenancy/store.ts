import type { DocumentStore, Versioned } from '../platform/ports';
import type { TenantDocument } from './schemas';

/** The container of tenant documents: one per tenant, id = tenantId, in the tenant's own partition. */
export const TENANTS_CONTAINER = 'tenants';

/** Reads tenant documents over the store port (writes go through the outbox with their events). */
export class TenantStore {
  constructor(private readonly store: DocumentStore) {}

  async read(tenantId: string): Promise<Versioned<TenantDocument> | undefined> {
    const document = await this.store.read<TenantDocument>(TENANTS_CONTAINER, { tenantId }, tenantId);
    return document?.type === 'tenant' ? document : undefined;
  }
}
