import type { Principal } from '../platform/auth/principal';
import { changeEvent, type ChangeContext } from '../platform/eventOutbox';
import type { OutboxEvent } from '../platform/store/outboxDocument';
import type { ApprovalDocument, PolicyDecisionDocument, PolicyRule } from './schemas';

/** `PolicyDecided.v1`: every decision, with the input it was made on. */
export function toPolicyDecided(decision: PolicyDecisionDocument, change: ChangeContext): OutboxEvent {
  const { decisionId, point, outcome, rule, reason, approvers, inputs } = decision;
  return changeEvent('PolicyDecided.v1', { decisionId, point, outcome, rule, reason, ...(approvers ? { approvers } : {}), inputs }, change, {
    tenantId: decision.tenantId,
    projectId: decision.projectId,
    workflowId: decision.workflowId,
    subject: `policy-decisions/${decisionId}`,
  });
}

/** `PoliciesUpdated.v1`: the tenant's rule list was replaced. */
export function toPoliciesUpdated(tenantId: string, rules: PolicyRule[], change: ChangeContext): OutboxEvent {
  return changeEvent('PoliciesUpdated.v1', { ruleIds: rules.map((rule) => rule.id), count: rules.length }, change, { tenantId, subject: 'policies' });
}

function approvalContext(approval: ApprovalDocument) {
  return { tenantId: approval.tenantId, projectId: approval.projectId, workflowId: approval.workflowId, subject: `approvals/${approval.approvalId}` };
}

/** The workflow's trace, acted by the system (the orchestration), unless a principal acted. */
function systemChange(approval: ApprovalDocument, principal: Pick<Principal, 'id'> | null = null, traceId?: string): ChangeContext {
  return { principal, traceId: traceId ?? approval.traceId };
}

export function toApprovalRequested(approval: ApprovalDocument): OutboxEvent {
  const { approvalId, gate, subject, roles, escalationRoles, expiresAt } = approval;
  return changeEvent(
    'ApprovalRequested.v1',
    { approvalId, gate, subject, requiredRoles: roles, escalationRoles, ...(expiresAt ? { expiresAt } : {}) },
    systemChange(approval),
    approvalContext(approval),
  );
}

export function toApprovalEscalated(approval: ApprovalDocument): OutboxEvent {
  const { approvalId, gate, escalationRoles, eligibleRoles } = approval;
  return changeEvent('ApprovalEscalated.v1', { approvalId, gate, addedRoles: escalationRoles, eligibleRoles }, systemChange(approval), approvalContext(approval));
}

/** `ApprovalDecided.v1` for a decision, an expiry or a cancellation (the latter two without a principal). */
export function toApprovalDecided(approval: ApprovalDocument, change?: { principal: Pick<Principal, 'id'>; traceId?: string }): OutboxEvent {
  const { approvalId, gate, status, decidedBy, comment } = approval;
  if (status === 'pending') throw new Error(`Approval ${approvalId} is still pending.`);
  return changeEvent(
    'ApprovalDecided.v1',
    { approvalId, gate, decision: status, ...(decidedBy ? { decidedBy } : {}), ...(comment ? { comment } : {}) },
    systemChange(approval, change?.principal ?? null, change?.traceId),
    approvalContext(approval),
  );
}
