import { getPlatform } from '../platform/composition';
import { TENANT_ROLES } from '../platform/auth/roles';
import { defineRoute } from '../platform/http/route';
import { tenantParams } from '../platform/http/tenantParams';
import { entitlementsView, newTenantSchema, tenantPatchSchema, tenantView } from './schemas';
import { TenantService } from './service';

/** The tenancy service on the process's platform. */
export async function tenancy(): Promise<TenantService> {
  const { store, outbox } = await getPlatform();
  return new TenantService({ store, outbox });
}

export const createTenant = defineRoute({
  method: 'POST',
  path: 'tenants',
  summary: 'Create a tenant on an edition',
  description: 'Answers 409 (problem code `TenantExists`) when the tenant id is taken.',
  tags: ['tenancy'],
  auth: { roles: ['PlatformAdmin'] },
  body: newTenantSchema,
  responses: { 201: tenantView },
  handler: async ({ body, principal, traceId }) => {
    const tenant = await (await tenancy()).create(body, { principal, traceId });
    return { status: 201, body: tenant, headers: { location: `/api/tenants/${tenant.tenantId}` } };
  },
});

export const getTenant = defineRoute({
  method: 'GET',
  path: 'tenants/{tenantId}',
  summary: 'Read a tenant',
  tags: ['tenancy'],
  auth: { roles: TENANT_ROLES },
  params: tenantParams,
  responses: { 200: tenantView },
  handler: async ({ params }) => ({ body: await (await tenancy()).get(params.tenantId) }),
});

export const updateTenant = defineRoute({
  method: 'PATCH',
  path: 'tenants/{tenantId}',
  summary: 'Rename a tenant, set its feature flags (TenantAdmin) or change its edition (PlatformAdmin)',
  tags: ['tenancy'],
  auth: { roles: ['TenantAdmin'] },
  params: tenantParams,
  body: tenantPatchSchema,
  responses: { 200: tenantView },
  handler: async ({ params, body, principal, traceId }) => ({ body: await (await tenancy()).update(params.tenantId, body, { principal, traceId }) }),
});

export const getEntitlements = defineRoute({
  method: 'GET',
  path: 'tenants/{tenantId}/entitlements',
  summary: "The tenant's effective entitlements: its edition's, with its feature flags applied",
  tags: ['tenancy'],
  auth: { roles: TENANT_ROLES },
  params: tenantParams,
  responses: { 200: entitlementsView },
  handler: async ({ params }) => ({ body: await (await tenancy()).entitlements(params.tenantId) }),
});

export const tenancyRoutes = [createTenant, getTenant, updateTenant, getEntitlements];
