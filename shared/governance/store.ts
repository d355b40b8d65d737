import type { DocumentStore, Page, QuerySpec, StoredDocument, Versioned } from '../platform/ports';
import type { ApprovalDocument, ApprovalQuery, PolicyDecisionDocument, PolicyDecisionQuery, PolicySetDocument } from './schemas';

/** Policies, policy decisions and approvals live in one container, partition `{ tenantId }`. */
export const GOVERNANCE_CONTAINER = 'governance';
export const POLICY_SET_ID = 'policy-set';

/** Document ids carry their kind, so caller-chosen approval ids never collide with other documents. */
export const toApprovalDocumentId = (approvalId: string) => `approval-${approvalId}`;
export const toDecisionDocumentId = (decisionId: string) => `decision-${decisionId}`;

type Where = NonNullable<QuerySpec['where']>;

/** Reads of the governance container (writes go through the outbox with their events). */
export class GovernanceStore {
  constructor(private readonly store: DocumentStore) {}

  async policySet(tenantId: string): Promise<Versioned<PolicySetDocument> | undefined> {
    return this.typed<PolicySetDocument>(tenantId, POLICY_SET_ID, 'policySet');
  }

  async decision(tenantId: string, decisionId: string): Promise<Versioned<PolicyDecisionDocument> | undefined> {
    return this.typed<PolicyDecisionDocument>(tenantId, toDecisionDocumentId(decisionId), 'policyDecision');
  }

  async approval(tenantId: string, approvalId: string): Promise<Versioned<ApprovalDocument> | undefined> {
    return this.typed<ApprovalDocument>(tenantId, toApprovalDocumentId(approvalId), 'approval');
  }

  /** Newest first. */
  async decisions(tenantId: string, query: PolicyDecisionQuery): Promise<Page<Versioned<PolicyDecisionDocument>>> {
    const where: Where = [{ field: 'type', op: '=', value: 'policyDecision' }];
    for (const field of ['point', 'outcome', 'projectId', 'workflowId'] as const) {
      if (query[field] !== undefined) where.push({ field, op: '=', value: query[field] });
    }
    return this.page<PolicyDecisionDocument>(tenantId, { where, orderBy: { field: 'decidedAt', direction: 'desc' }, limit: query.limit, continuation: query.continuation });
  }

  /** Oldest first: an inbox works through the longest-waiting request first. */
  async approvals(tenantId: string, query: ApprovalQuery): Promise<Page<Versioned<ApprovalDocument>>> {
    const where: Where = [{ field: 'type', op: '=', value: 'approval' }];
    for (const field of ['status', 'projectId', 'workflowId'] as const) {
      if (query[field] !== undefined) where.push({ field, op: '=', value: query[field] });
    }
    return this.page<ApprovalDocument>(tenantId, { where, orderBy: { field: 'requestedAt' }, limit: query.limit, continuation: query.continuation });
  }

  private async typed<T extends StoredDocument>(tenantId: string, id: string, type: T['type']): Promise<Versioned<T> | undefined> {
    const document = await this.store.read<T>(GOVERNANCE_CONTAINER, { tenantId }, id);
    return document?.type === type ? document : undefined;
  }

  private page<T extends StoredDocument>(tenantId: string, spec: QuerySpec): Promise<Page<Versioned<T>>> {
    return this.store.query<T>(GOVERNANCE_CONTAINER, { tenantId }, spec);
  }
}
