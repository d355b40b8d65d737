import * as df from 'durable-functions';
import { getPlatform } from '../platform/composition';
import { cancelTenantWorkflows } from '../workflows/reconcile';
import { getWorkflowServices } from '../workflows/services';
import { TENANT_ROLES } from '../platform/auth/roles';
import { defineRoute } from '../platform/http/route';
import { tenantParams } from '../platform/http/tenantParams';
import { ifMatchOf, toEtag } from '../platform/http/preconditions';
import { TenantLifecycle } from './lifecycle';
import { entitlementsView, newTenantSchema, tenantPage, tenantPageQuery, tenantPatchSchema, tenantStatusChangeSchema, tenantView } from './schemas';
import { TenantService } from './service';

/** The tenancy service on the process's platform. */
export async function tenancy(): Promise<TenantService> {
  const { store, outbox } = await getPlatform();
  return new TenantService({ store, outbox });
}

async function lifecycle(): Promise<TenantLifecycle> {
  const { store, outbox, apiKeys } = await getPlatform();
  return new TenantLifecycle({ store, outbox, apiKeys });
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

export const listTenants = defineRoute({
  method: 'GET',
  path: 'tenants',
  summary: 'List every tenant, oldest first, with its status (PlatformAdmin)',
  description: 'Paged: `limit` (1–1000, default 100) and the `continuation` of the previous page.',
  tags: ['tenancy'],
  auth: { roles: ['PlatformAdmin'] },
  query: tenantPageQuery,
  responses: { 200: tenantPage },
  handler: async ({ query }) => ({ body: await (await tenancy()).list(query) }),
});

export const getTenant = defineRoute({
  method: 'GET',
  path: 'tenants/{tenantId}',
  summary: 'Read a tenant',
  tags: ['tenancy'],
  auth: { roles: TENANT_ROLES },
  params: tenantParams,
  responses: { 200: tenantView },
  handler: async ({ params }) => {
    const { tenant, etag } = await (await tenancy()).getVersioned(params.tenantId);
    return { body: tenant, headers: { etag: toEtag(etag) } };
  },
});

export const updateTenant = defineRoute({
  method: 'PATCH',
  path: 'tenants/{tenantId}',
  summary: 'Rename a tenant, narrow its feature flags (TenantAdmin), or change its edition and grant features beyond it (PlatformAdmin)',
  description:
    'A flag may switch off what the edition grants; switching on a feature the edition lacks is PlatformAdmin only (403, code `FeatureNotInEdition`). With `If-Match` (the `ETag` of `GET`) a stale version answers 412.',
  tags: ['tenancy'],
  auth: { roles: ['TenantAdmin'] },
  params: tenantParams,
  body: tenantPatchSchema,
  responses: { 200: tenantView },
  handler: async ({ params, body, principal, traceId, request }) => {
    const service = await tenancy();
    await service.update(params.tenantId, body, { principal, traceId }, ifMatchOf(request));
    const { tenant, etag } = await service.getVersioned(params.tenantId);
    return { body: tenant, headers: { etag: toEtag(etag) } };
  },
});

export const suspendTenant = defineRoute({
  method: 'POST',
  path: 'tenants/{tenantId}/suspend',
  summary: "Suspend a tenant: its keys and tokens stop working with the next request (PlatformAdmin)",
  tags: ['tenancy'],
  auth: { roles: ['PlatformAdmin'] },
  params: tenantParams,
  body: tenantStatusChangeSchema,
  responses: { 200: tenantView },
  handler: async ({ params, body, principal, traceId }) => ({ body: await (await lifecycle()).suspend(params.tenantId, body.reason, { principal, traceId }) }),
});

export const resumeTenant = defineRoute({
  method: 'POST',
  path: 'tenants/{tenantId}/resume',
  summary: 'Resume a suspended tenant (PlatformAdmin)',
  tags: ['tenancy'],
  auth: { roles: ['PlatformAdmin'] },
  params: tenantParams,
  responses: { 200: tenantView },
  handler: async ({ params, principal, traceId }) => ({ body: await (await lifecycle()).resume(params.tenantId, { principal, traceId }) }),
});

export const deleteTenant = defineRoute({
  method: 'DELETE',
  path: 'tenants/{tenantId}',
  summary: 'Delete a tenant: its keys are revoked, its running workflows cancelled and its data no longer served; the id is not reused (PlatformAdmin)',
  tags: ['tenancy'],
  auth: { roles: ['PlatformAdmin'] },
  params: tenantParams,
  body: tenantStatusChangeSchema,
  extraInputs: [df.input.durableClient()],
  responses: { 200: tenantView },
  handler: async ({ params, body, principal, traceId, context }) => {
    // Cancelled first: once deleted, the tenant's approvals and records are no longer served.
    await cancelTenantWorkflows(await getWorkflowServices(), df.getClient(context), params.tenantId, { principal, traceId }, `tenant deleted${body.reason ? `: ${body.reason}` : ''}`);
    return { body: await (await lifecycle()).delete(params.tenantId, body.reason, { principal, traceId }) };
  },
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

export const tenancyRoutes = [createTenant, listTenants, getTenant, updateTenant, getEntitlements, suspendTenant, resumeTenant, deleteTenant];
