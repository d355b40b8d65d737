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

/** `TenantSuspended.v1` / `TenantResumed.v1` / `TenantDeleted.v1`, in the tenant's own chain. */
export function toTenantStatusChanged(tenant: TenantDocument, status: 'suspended' | 'active' | 'deleted', details: { reason?: string; revokedKeys?: number }, change: ChangeContext): OutboxEvent {
  const context = { tenantId: tenant.tenantId, subject: `tenants/${tenant.tenantId}` };
  const reason = details.reason ? { reason: details.reason } : {};
  if (status === 'suspended') return changeEvent('TenantSuspended.v1', reason, change, context);
  if (status === 'active') return changeEvent('TenantResumed.v1', {}, change, context);
  return changeEvent('TenantDeleted.v1', { ...reason, revokedKeys: details.revokedKeys ?? 0 }, change, context);
}
