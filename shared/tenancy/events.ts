import { changeEvent, type ChangeContext } from '../platform/eventOutbox';
import type { OutboxEvent } from '../platform/store/outboxDocument';
import type { TenantDocument } from './schemas';

/** `TenantCreated.v1` for a new tenant, in that tenant's audit chain. */
export function toTenantCreated(tenant: TenantDocument, change: ChangeContext): OutboxEvent {
  return changeEvent('TenantCreated.v1', { name: tenant.name, edition: tenant.edition }, change, { tenantId: tenant.tenantId, subject: `tenants/${tenant.tenantId}` });
}

/** `TenantUpdated.v1` naming the fields that changed (`featureFlags.<feature>` per flag). */
export function toTenantUpdated(tenant: TenantDocument, changes: string[], change: ChangeContext): OutboxEvent {
  return changeEvent('TenantUpdated.v1', { changes }, change, { tenantId: tenant.tenantId, subject: `tenants/${tenant.tenantId}` });
}
