import { randomUUID } from 'node:crypto';
import { canActInTenant, hasAnyRole, type Principal } from '../platform/auth/principal';
import type { Role } from '../platform/auth/roles';
import type { EventOutbox } from '../platform/eventOutbox';
import { Conflict, Forbidden, NotFound, Validation } from '../platform/http/errors';
import type { OutboxEvent } from '../platform/store/outboxDocument';
import { StoreConflict, type DocumentStore, type Page, type Versioned } from '../platform/ports';
import type { TenantService } from '../tenancy/service';
import { toApprovalDecided, toApprovalEscalated, toApprovalRequested } from './events';
import { approvalIdSchema, type Approval, type ApprovalDecisionInput, type ApprovalDocument, type ApprovalQuery, type ApprovalRequest } from './schemas';
import { GOVERNANCE_CONTAINER, GovernanceStore, toApprovalDocumentId } from './store';

export interface ApprovalServiceDeps {
  store: DocumentStore;
  outbox: EventOutbox;
  tenants: Pick<TenantService, 'require'>;
  now?: () => Date;
}

/** A transition's result: the next document and its event, or nothing to change. */
type Step = { next: ApprovalDocument; event: OutboxEvent } | undefined;

/** Concurrent transitions race for the ETag; each lost race re-reads, this many times at most. */
const MAX_TRANSITION_ATTEMPTS = 20;

/**
 * Human approvals of workflow gates. The gate (an orchestration) requests, escalates once and
 * expires; principals decide. Every transition replaces the pending document with `ifMatch`, so
 * the first decision wins and every later or concurrent one gets 409.
 */
export class ApprovalService {
  private readonly governance: GovernanceStore;
  private readonly now: () => Date;

  constructor(private readonly deps: ApprovalServiceDeps) {
    this.governance = new GovernanceStore(deps.store);
    this.now = deps.now ?? (() => new Date());
  }

  /** Records a pending approval and emits `ApprovalRequested.v1`; the same `approvalId` again returns the first. */
  async request(input: ApprovalRequest): Promise<Approval> {
    const approvalId = input.approvalId ?? `apr-${randomUUID()}`;
    const problems = [
      ...(approvalIdSchema.safeParse(approvalId).success ? [] : [{ path: 'approvalId', message: 'letters, digits, _ . : - (at most 200)' }]),
      ...(input.roles.length > 0 ? [] : [{ path: 'roles', message: 'at least one role must be able to decide' }]),
    ];
    if (problems.length > 0) throw new Validation(problems, 'Invalid approval request.');
    const existing = await this.governance.approval(input.tenantId, approvalId);
    if (existing) return toApprovalView(existing);
    const { tenantId, projectId, workflowId, gate, subject, instanceId, traceId, expiresAt } = input;
    const approval: ApprovalDocument = {
      id: toApprovalDocumentId(approvalId),
      tenantId,
      type: 'approval',
      approvalId,
      projectId,
      workflowId,
      gate,
      subject,
      status: 'pending',
      roles: unique(input.roles),
      escalationRoles: unique(input.escalationRoles),
      eligibleRoles: unique(input.roles),
      escalated: false,
      instanceId,
      requestedAt: this.now().toISOString(),
      ...(expiresAt ? { expiresAt } : {}),
      traceId,
    };
    try {
      await this.deps.outbox.commit(GOVERNANCE_CONTAINER, { tenantId }, [{ op: 'create', document: approval }], [toApprovalRequested(approval)]);
      return toApprovalView(approval);
    } catch (error) {
      const recorded = error instanceof StoreConflict ? await this.governance.approval(tenantId, approvalId) : undefined;
      if (!recorded) throw error;
      return toApprovalView(recorded);
    }
  }

  /** Adds the escalation roles to who may decide, once; a decided or escalated approval is returned as is. */
  async escalate(tenantId: string, approvalId: string): Promise<Approval> {
    return this.transition(tenantId, approvalId, (current) => {
      if (current.status !== 'pending' || current.escalated) return undefined;
      const next: ApprovalDocument = { ...current, escalated: true, escalatedAt: this.now().toISOString(), eligibleRoles: unique([...current.roles, ...current.escalationRoles]) };
      return { next, event: toApprovalEscalated(next) };
    });
  }

  /** Expires a pending approval (counts as rejected); a decided one is returned as is, so the gate sees the decision. */
  async expire(tenantId: string, approvalId: string): Promise<Approval> {
    return this.close(tenantId, approvalId, 'expired');
  }

  /** Cancels a pending approval because its workflow was cancelled; a decided one is returned as is. */
  async cancel(tenantId: string, approvalId: string, reason: string): Promise<Approval> {
    return this.close(tenantId, approvalId, 'cancelled', reason);
  }

  /**
   * Records a principal's decision: 404 outside its tenant, 403 without an eligible role
   * (PlatformAdmin always may), 409 when the approval is no longer pending. Emits `ApprovalDecided.v1`.
   */
  async decide(tenantId: string, approvalId: string, input: ApprovalDecisionInput, principal: Principal, traceId?: string): Promise<Approval> {
    if (!canActInTenant(principal, tenantId)) throw new NotFound(`Approval '${approvalId}' was not found.`);
    return this.transition(tenantId, approvalId, (current) => {
      if (!hasAnyRole(principal, current.eligibleRoles)) throw new Forbidden(`Deciding '${current.gate}' needs one of the roles ${current.eligibleRoles.join(', ')}.`, 'NotAnApprover');
      if (current.status !== 'pending') throw new Conflict(`Approval '${approvalId}' is already ${current.status}.`, 'ApprovalAlreadyDecided');
      const next: ApprovalDocument = {
        ...current,
        status: input.decision === 'approve' ? 'approved' : 'rejected',
        decidedAt: this.now().toISOString(),
        decidedBy: principal.id,
        decidedRoles: [...principal.roles],
        ...(input.comment ? { comment: input.comment } : {}),
      };
      return { next, event: toApprovalDecided(next, { principal, traceId }) };
    });
  }

  /** The approval, or 404. */
  async get(tenantId: string, approvalId: string): Promise<Approval> {
    return toApprovalView(await this.require(tenantId, approvalId));
  }

  /** Approvals, oldest first, optionally by status, project or workflow. */
  async list(tenantId: string, query: ApprovalQuery): Promise<Page<Approval>> {
    await this.deps.tenants.require(tenantId);
    const page = await this.governance.approvals(tenantId, query);
    return { items: page.items.map(toApprovalView), ...(page.continuation ? { continuation: page.continuation } : {}) };
  }

  private async close(tenantId: string, approvalId: string, status: 'expired' | 'cancelled', comment?: string): Promise<Approval> {
    return this.transition(tenantId, approvalId, (current) => {
      if (current.status !== 'pending') return undefined;
      const next: ApprovalDocument = { ...current, status, decidedAt: this.now().toISOString(), ...(comment ? { comment } : {}) };
      return { next, event: toApprovalDecided(next) };
    });
  }

  private async require(tenantId: string, approvalId: string): Promise<Versioned<ApprovalDocument>> {
    const approval = await this.governance.approval(tenantId, approvalId);
    if (!approval) throw new NotFound(`Approval '${approvalId}' was not found.`);
    return approval;
  }

  /** Reads, applies `step`, and replaces with `ifMatch`; a lost race re-reads and applies `step` again. */
  private async transition(tenantId: string, approvalId: string, step: (current: ApprovalDocument) => Step): Promise<Approval> {
    for (let attempt = 0; attempt < MAX_TRANSITION_ATTEMPTS; attempt++) {
      const { _etag, ...current } = await this.require(tenantId, approvalId);
      const result = step(current);
      if (!result) return toApprovalView(current);
      try {
        await this.deps.outbox.commit(GOVERNANCE_CONTAINER, { tenantId }, [{ op: 'replace', document: result.next, ifMatch: _etag }], [result.event]);
        return toApprovalView(result.next);
      } catch (error) {
        if (!(error instanceof StoreConflict)) throw error;
      }
    }
    throw new Conflict(`Approval '${approvalId}' is changing concurrently; retry.`);
  }
}

function unique(roles: readonly Role[]): Role[] {
  return [...new Set(roles)];
}

export function toApprovalView(document: ApprovalDocument): Approval {
  const { approvalId, tenantId, projectId, workflowId, gate, subject, status, roles, escalationRoles, eligibleRoles, escalated, instanceId, requestedAt, traceId } = document;
  const optional = (['expiresAt', 'escalatedAt', 'decidedAt', 'decidedBy', 'comment'] as const).filter((key) => document[key] !== undefined);
  return {
    id: approvalId,
    tenantId,
    projectId,
    workflowId,
    gate,
    subject,
    status,
    roles,
    escalationRoles,
    eligibleRoles,
    escalated,
    instanceId,
    requestedAt,
    ...Object.fromEntries(optional.map((key) => [key, document[key]])),
    traceId,
  };
}
