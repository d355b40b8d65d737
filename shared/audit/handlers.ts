import { z } from 'zod';
import { defineRoute } from '../platform/http/route';
import { tenantParams } from '../platform/http/tenantParams';
import { auditCheckpointView, auditPage, auditQuery, verifyBody, verifyReport } from './schemas';
import { getAuditTrail } from './trail';

const AUDIT_READERS = ['TenantAdmin', 'Approver', 'Viewer', 'ReleaseManager', 'Architect'] as const;

export const listAudit = defineRoute({
  method: 'GET',
  path: 'tenants/{tenantId}/audit',
  summary: 'List the audit trail in chain order, optionally within a time range or of one trace (`traceId`)',
  tags: ['governance'],
  auth: { roles: AUDIT_READERS },
  params: tenantParams,
  query: auditQuery,
  responses: { 200: auditPage },
  handler: async ({ params, query }) => {
    const page = await (await getAuditTrail()).list(params.tenantId, query);
    return { body: { items: page.items.map(({ id: _id, tenantId: _t, type: _ty, _etag, ...entry }) => entry), continuation: page.continuation } };
  },
});

export const verifyAudit = defineRoute({
  method: 'GET',
  path: 'tenants/{tenantId}/audit/verify',
  summary: 'Verify the keyed hash chain (and the latest witnessed checkpoint) and name the first broken link',
  tags: ['governance'],
  auth: { roles: AUDIT_READERS },
  params: tenantParams,
  responses: { 200: verifyReport },
  handler: async ({ params }) => ({ body: await (await getAuditTrail()).verify(params.tenantId) }),
});

export const verifyAuditWithCheckpoint = defineRoute({
  method: 'POST',
  path: 'tenants/{tenantId}/audit/verify',
  summary: 'Verify the trail and prove it still extends a checkpoint exported earlier',
  description: 'Body `{ "checkpoint": <from GET .../audit/checkpoint> }`. A checkpoint not signed by this trail for this tenant is reported as `bad-checkpoint`; a chain that no longer holds its entry as `truncated` or `checkpoint-mismatch`.',
  tags: ['governance'],
  auth: { roles: AUDIT_READERS },
  params: tenantParams,
  body: verifyBody,
  responses: { 200: verifyReport },
  handler: async ({ params, body }) => ({ body: await (await getAuditTrail()).verify(params.tenantId, body.checkpoint) }),
});

export const getAuditCheckpoint = defineRoute({
  method: 'GET',
  path: 'tenants/{tenantId}/audit/checkpoint',
  summary: "A signed checkpoint of the trail's tip, to keep and verify against later",
  description: 'Ed25519 over the canonical JSON of `tenantId, seq, hash, at, keyId`; `publicKey` verifies it offline.',
  tags: ['governance'],
  auth: { roles: AUDIT_READERS },
  params: tenantParams,
  responses: { 200: auditCheckpointView },
  handler: async ({ params }) => {
    const trail = await getAuditTrail();
    return { body: { ...(await trail.checkpoint(params.tenantId)), publicKey: trail.publicKeyPem() } };
  },
});

export const auditRoutes = [listAudit, verifyAudit, verifyAuditWithCheckpoint, getAuditCheckpoint];
export type AuditQuery = z.infer<typeof auditQuery>;
