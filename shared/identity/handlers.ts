import { getPlatform } from '../platform/composition';
import { TENANT_ROLES } from '../platform/auth/roles';
import { defineRoute } from '../platform/http/route';
import { tenantParams } from '../platform/http/tenantParams';
import { TenantService } from '../tenancy/service';
import { apiKeyPage, createdApiKeySchema, keyPageQuery, keyParams, meView, newApiKeySchema } from './schemas';
import { IdentityService } from './service';

/** The identity service on the process's platform. */
export async function identity(): Promise<IdentityService> {
  const { store, outbox, apiKeys } = await getPlatform();
  return new IdentityService({ apiKeys, outbox, tenants: new TenantService({ store, outbox }) });
}

export const createKey = defineRoute({
  method: 'POST',
  path: 'tenants/{tenantId}/keys',
  summary: 'Create an API key; the answer holds its secret, shown this once',
  tags: ['identity'],
  auth: { roles: ['TenantAdmin'] },
  params: tenantParams,
  body: newApiKeySchema,
  responses: { 201: createdApiKeySchema },
  handler: async ({ params, body, principal, traceId }) => ({
    status: 201,
    body: await (await identity()).createKey(params.tenantId, body, { principal, traceId }),
    headers: { 'cache-control': 'no-store' },
  }),
});

export const listKeys = defineRoute({
  method: 'GET',
  path: 'tenants/{tenantId}/keys',
  summary: 'List API keys, oldest first (never secrets or hashes)',
  tags: ['identity'],
  auth: { roles: ['TenantAdmin'] },
  params: tenantParams,
  query: keyPageQuery,
  responses: { 200: apiKeyPage },
  handler: async ({ params, query }) => ({ body: await (await identity()).listKeys(params.tenantId, query) }),
});

export const revokeKey = defineRoute({
  method: 'DELETE',
  path: 'tenants/{tenantId}/keys/{keyId}',
  summary: 'Revoke an API key; it fails authentication from now on',
  tags: ['identity'],
  auth: { roles: ['TenantAdmin'] },
  params: keyParams,
  responses: { 204: 'Revoked (or already revoked)' },
  handler: async ({ params, principal, traceId }) => {
    await (await identity()).revokeKey(params.tenantId, params.keyId, { principal, traceId });
    return { status: 204 };
  },
});

export const getMe = defineRoute({
  method: 'GET',
  path: 'tenants/{tenantId}/me',
  summary: 'The calling principal: id, roles, tenant and kind',
  tags: ['identity'],
  auth: { roles: TENANT_ROLES },
  params: tenantParams,
  responses: { 200: meView },
  handler: async ({ principal }) => ({ body: (await identity()).me(principal) }),
});

export const identityRoutes = [createKey, listKeys, revokeKey, getMe];
