import { changeEvent } from '../platform/eventOutbox';
import type { EventOutbox } from '../platform/eventOutbox';
import { StoreConflict, type DocumentStore, type StoredDocument } from '../platform/ports';
import { toDocumentId } from '../platform/store/documentId';
import type { ApprovalDocument } from './schemas';
import { GOVERNANCE_CONTAINER, GovernanceStore } from './store';

/** What a gate learns from the approval record after an `ApprovalDecision` event woke it. */
export type ConfirmedDecision =
  | { accepted: true; outcome: 'approved' | 'rejected'; decidedBy: string; comment?: string }
  | { accepted: false; reason: string };

/** A raised event that the record did not back: kept in `governance`, one per attempt id. */
interface RejectedAttemptDocument extends StoredDocument {
  type: 'approvalAttempt';
  approvalId: string;
  attemptId: string;
  claimed: unknown;
  recordedStatus: string;
  reason: string;
  at: string;
}

/**
 * Why the record does not carry a decision the gate may act on, or undefined when it does: decided
 * (approved/rejected) through the decision API by a principal whose recorded roles include one of
 * the approval's eligible roles (PlatformAdmin always may) — the same rule `ApprovalService.decide` applies.
 */
export function whyNotDecided(record: ApprovalDocument | undefined): string | undefined {
  if (!record) return 'no approval record';
  if (record.status !== 'approved' && record.status !== 'rejected') return `the approval record is ${record.status}`;
  if (!record.decidedBy) return 'the recorded decision names no principal';
  const roles = record.decidedRoles ?? [];
  if (!roles.includes('PlatformAdmin') && !roles.some((role) => record.eligibleRoles.includes(role))) return 'the recorded decider held no eligible role';
  return undefined;
}

/**
 * The gate's check that a raised `ApprovalDecision` is backed by the authoritative record
 * (issue 9 §2: event data is never taken on trust — anyone holding the durable system key can
 * raise events). A backed decision is returned as recorded (not as claimed); anything else is
 * recorded as a rejected attempt with `ApprovalAttemptRejected.v1` (hence audited), idempotently per
 * `attemptId`, and the gate keeps waiting.
 */
export class DecisionConfirmation {
  private readonly governance: GovernanceStore;

  constructor(private readonly deps: { store: DocumentStore; outbox: EventOutbox; now?: () => Date }) {
    this.governance = new GovernanceStore(deps.store);
  }

  async confirm(input: { tenantId: string; approvalId: string; gate: string; attemptId: string; claimed: unknown; traceId: string }): Promise<ConfirmedDecision> {
    const record = await this.governance.approval(input.tenantId, input.approvalId);
    const reason = whyNotDecided(record);
    if (!reason && record && (record.status === 'approved' || record.status === 'rejected')) {
      return { accepted: true, outcome: record.status, decidedBy: record.decidedBy!, ...(record.comment ? { comment: record.comment } : {}) };
    }
    await this.recordRejected(input, record, reason ?? 'not decided');
    return { accepted: false, reason: reason ?? 'not decided' };
  }

  private async recordRejected(input: { tenantId: string; approvalId: string; gate: string; attemptId: string; claimed: unknown; traceId: string }, record: ApprovalDocument | undefined, reason: string): Promise<void> {
    const { tenantId, approvalId, gate, attemptId } = input;
    const recordedStatus = record?.status ?? 'missing';
    const claimed = toClaim(input.claimed);
    const document: RejectedAttemptDocument = {
      id: toDocumentId('approvalAttempt', approvalId, attemptId),
      tenantId,
      type: 'approvalAttempt',
      approvalId,
      attemptId,
      claimed,
      recordedStatus,
      reason,
      at: (this.deps.now?.() ?? new Date()).toISOString(),
    };
    const event = changeEvent('ApprovalAttemptRejected.v1', { approvalId, gate, attemptId, claimed, recordedStatus, reason }, { principal: null, traceId: input.traceId }, {
      tenantId,
      projectId: record?.projectId,
      workflowId: record?.workflowId,
      subject: `approvals/${approvalId}`,
    });
    try {
      await this.deps.outbox.commit(GOVERNANCE_CONTAINER, { tenantId }, [{ op: 'create', document }], [event]);
    } catch (error) {
      if (!(error instanceof StoreConflict)) throw error; // a retried activity: recorded already
    }
  }
}

/** The claimed event data, bounded so a forger cannot bloat the audit trail. */
function toClaim(claimed: unknown): unknown {
  const text = JSON.stringify(claimed ?? null) ?? 'null';
  return text.length <= 2000 ? JSON.parse(text) : { truncated: text.slice(0, 2000) };
}
