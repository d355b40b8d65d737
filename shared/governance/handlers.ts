import type { InvocationContext } from '@azure/functions';
import * as df from 'durable-functions';
import { TENANT_ROLES, type Role } from '../platform/auth/roles';
import { ifMatchOf, toEtag } from '../platform/http/preconditions';
import { defineRoute } from '../platform/http/route';
import { tenantParams } from '../platform/http/tenantParams';
import type { Telemetry } from '../platform/telemetry/telemetry';
import {
  APPROVAL_DECISION_EVENT,
  approvalDecisionBody,
  approvalPage,
  approvalParams,
  approvalQuery,
  approvalView,
  decisionParams,
  policyDecisionPage,
  policyDecisionQuery,
  policyDecisionView,
  policySetBodySchema,
  policySetView,
  type Approval,
  type ApprovalDecisionEvent,
} from './schemas';
import { getGovernance } from './service';

/** Who may read policy decisions and approvals (as the audit trail). */
const GOVERNANCE_READERS: readonly Role[] = ['TenantAdmin', 'Architect', 'ReleaseManager', 'Approver', 'Viewer'];
const TAGS = ['governance'];

export const getPolicies = defineRoute({
  method: 'GET',
  path: 'tenants/{tenantId}/policies',
  summary: "Read the tenant's policy rules and the built-in rules",
  tags: TAGS,
  auth: { roles: ['TenantAdmin'] },
  params: tenantParams,
  responses: { 200: policySetView },
  handler: async ({ params }) => {
    const { view, etag } = await (await getGovernance()).policies.getVersioned(params.tenantId);
    return { body: view, ...(etag ? { headers: { etag: toEtag(etag) } } : {}) };
  },
});

export const putPolicies = defineRoute({
  method: 'PUT',
  path: 'tenants/{tenantId}/policies',
  summary: "Replace the tenant's policy rules",
  description:
    'Rules apply at `workflow-start`, `approval` or `release`; deny beats require-approval beats allow, and no matching rule allows. Built-in rules always apply. With `If-Match` (the `ETag` of `GET`) a stale version answers 412.',
  tags: TAGS,
  auth: { roles: ['TenantAdmin'] },
  params: tenantParams,
  body: policySetBodySchema,
  responses: { 200: policySetView },
  handler: async ({ params, body, principal, traceId, request }) => {
    const { policies } = await getGovernance();
    await policies.replace(params.tenantId, body.rules, { principal, traceId }, ifMatchOf(request));
    const { view, etag } = await policies.getVersioned(params.tenantId);
    return { body: view, ...(etag ? { headers: { etag: toEtag(etag) } } : {}) };
  },
});

export const listPolicyDecisions = defineRoute({
  method: 'GET',
  path: 'tenants/{tenantId}/policy-decisions',
  summary: 'List recorded policy decisions, newest first',
  tags: TAGS,
  auth: { roles: GOVERNANCE_READERS },
  params: tenantParams,
  query: policyDecisionQuery,
  responses: { 200: policyDecisionPage },
  handler: async ({ params, query }) => ({ body: await (await getGovernance()).engine.list(params.tenantId, query) }),
});

export const getPolicyDecision = defineRoute({
  method: 'GET',
  path: 'tenants/{tenantId}/policy-decisions/{decisionId}',
  summary: 'Read a policy decision with the input it was made on',
  tags: TAGS,
  auth: { roles: GOVERNANCE_READERS },
  params: decisionParams,
  responses: { 200: policyDecisionView },
  handler: async ({ params }) => ({ body: await (await getGovernance()).engine.get(params.tenantId, params.decisionId) }),
});

export const listApprovals = defineRoute({
  method: 'GET',
  path: 'tenants/{tenantId}/approvals',
  summary: 'List approvals, oldest first; `?status=pending` is the inbox',
  tags: TAGS,
  auth: { roles: GOVERNANCE_READERS },
  params: tenantParams,
  query: approvalQuery,
  responses: { 200: approvalPage },
  handler: async ({ params, query }) => ({ body: await (await getGovernance()).approvals.list(params.tenantId, query) }),
});

export const getApproval = defineRoute({
  method: 'GET',
  path: 'tenants/{tenantId}/approvals/{approvalId}',
  summary: 'Read an approval',
  tags: TAGS,
  auth: { roles: GOVERNANCE_READERS },
  params: approvalParams,
  responses: { 200: approvalView },
  handler: async ({ params }) => ({ body: await (await getGovernance()).approvals.get(params.tenantId, params.approvalId) }),
});

export const decideApproval = defineRoute({
  method: 'POST',
  path: 'tenants/{tenantId}/approvals/{approvalId}/decision',
  summary: 'Approve or reject; the first decision wins',
  description:
    'Only a principal holding one of the approval\'s `eligibleRoles` may decide (403, code `NotAnApprover`); a decided, expired or cancelled approval answers 409 (code `ApprovalAlreadyDecided`). The waiting workflow is notified with the `ApprovalDecision` event.',
  tags: TAGS,
  auth: { roles: TENANT_ROLES },
  params: approvalParams,
  body: approvalDecisionBody,
  extraInputs: [df.input.durableClient()],
  responses: { 200: approvalView },
  handler: async ({ params, body, principal, traceId, telemetry, context }) => {
    const approval = await (await getGovernance()).approvals.decide(params.tenantId, params.approvalId, body, principal, traceId);
    await notifyWorkflow(context, approval, telemetry);
    return { body: approval };
  },
});

/**
 * Raises `ApprovalDecision` on the waiting instance. The decision stands whatever happens here: an
 * instance that is gone (404/410) or unreachable is logged, and a gate that wakes on its timer
 * instead finds the decision when it calls `expire` (which returns a decided approval unchanged).
 */
async function notifyWorkflow(context: InvocationContext, approval: Approval, telemetry: Telemetry): Promise<void> {
  if (approval.status !== 'approved' && approval.status !== 'rejected') return;
  const data: ApprovalDecisionEvent = { approvalId: approval.id, decision: approval.status, decidedBy: approval.decidedBy ?? '', ...(approval.comment ? { comment: approval.comment } : {}) };
  try {
    await df.getClient(context).raiseEvent(approval.instanceId, APPROVAL_DECISION_EVENT, data);
  } catch (error) {
    telemetry.log('warn', 'approval decided, but its workflow instance could not be notified', { approvalId: approval.id, instanceId: approval.instanceId, error: String(error) });
  }
}

export const governanceRoutes = [getPolicies, putPolicies, listPolicyDecisions, getPolicyDecision, listApprovals, getApproval, decideApproval];
