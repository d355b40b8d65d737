import { z } from 'zod';
import { getPlatform } from '../platform/composition';
import { defineRoute } from '../platform/http/route';
import { tenantParams } from '../platform/http/tenantParams';
import { auditPage, auditQuery, verifyReport } from './schemas';

const AUDIT_READERS = ['TenantAdmin', 'Approver', 'Viewer', 'ReleaseManager', 'Architect'] as const;

export const listAudit = defineRoute({
  method: 'GET',
  path: 'tenants/{tenantId}/audit',
  summary: 'List the audit trail in chain order, optionally within a time range',
  tags: ['governance'],
  auth: { roles: AUDIT_READERS },
  params: tenantParams,
  query: auditQuery,
  responses: { 200: auditPage },
  handler: async ({ params, query }) => {
    const { audit } = await getPlatform();
    const page = await audit.list(params.tenantId, query);
    return { body: { items: page.items.map(({ id: _id, tenantId: _t, type: _ty, _etag, ...entry }) => entry), continuation: page.continuation } };
  },
});

export const verifyAudit = defineRoute({
  method: 'GET',
  path: 'tenants/{tenantId}/audit/verify',
  summary: 'Recompute the hash chain and name the first broken link',
  tags: ['governance'],
  auth: { roles: AUDIT_READERS },
  params: tenantParams,
  responses: { 200: verifyReport },
  handler: async ({ params }) => ({ body: await (await getPlatform()).audit.verify(params.tenantId) }),
});

export const auditRoutes = [listAudit, verifyAudit];
export type AuditQuery = z.infer<typeof auditQuery>;
