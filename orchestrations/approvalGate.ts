import * as df from 'durable-functions';
import type { OrchestrationContext } from 'durable-functions';
import { escalateApproval, expireApproval, recordStep, requestApproval } from './activities';
import type { ConfirmedDecision } from '../shared/governance/decisionConfirmation';
import { confirmApprovalDecision } from './gateActivities';

export interface ApprovalGateRequest {
  tenantId: string;
  projectId: string;
  workflowId: string;
  traceId: string;
  gate: string;
  subject: string;
  roles: string[];
  escalationRoles: string[];
  timeoutMs: number;
}

export interface ApprovalGateOutcome {
  approvalId: string;
  outcome: 'approved' | 'rejected' | 'expired';
  decidedBy?: string;
  comment?: string;
}

/**
 * Approval gate (sub-orchestration): records the request and waits for the decision event or a
 * durable timer; on the first timeout it escalates once to the next roles, on the second it
 * expires as rejected. A raised `ApprovalDecision` only wakes the gate: it acts on the decision
 * the approval record holds (`ConfirmApprovalDecision`), never on the event's data; an event the
 * record does not back is recorded as a rejected attempt and the gate keeps waiting.
 */
export const approvalGateOrchestration = df.app.orchestration('ApprovalGate', function* (context: OrchestrationContext) {
  const request = context.df.getInput() as ApprovalGateRequest;
  const { tenantId, projectId, workflowId } = request;
  const approvalId = `${workflowId}-${request.gate}`;
  yield recordStep({ tenantId, projectId, workflowId, step: request.gate, patch: { status: 'waiting', attempts: 1 } });
  yield requestApproval({ ...request, approvalId, instanceId: context.df.instanceId });
  let attempts = 0;
  for (const phase of ['requested', 'escalated'] as const) {
    const deadline = new Date(context.df.currentUtcDateTime.getTime() + request.timeoutMs);
    for (;;) {
      // A fresh timer per wait (same deadline): a task may belong to one Task.any only.
      const timer = context.df.createTimer(deadline);
      const decision = context.df.waitForExternalEvent('ApprovalDecision');
      const winner = yield context.df.Task.any([decision, timer]);
      if (winner !== decision) break;
      timer.cancel();
      attempts++;
      const confirmed = (yield confirmApprovalDecision({ tenantId, approvalId, gate: request.gate, attemptId: `${context.df.instanceId}:${attempts}`, claimed: decision.result, traceId: request.traceId })) as ConfirmedDecision;
      if (confirmed.accepted) return yield* finish(confirmed.outcome, confirmed.decidedBy, confirmed.comment);
    }
    if (phase === 'requested') {
      yield escalateApproval({ tenantId, approvalId, traceId: request.traceId });
      yield recordStep({ tenantId, projectId, workflowId, step: request.gate, patch: { status: 'waiting', attempts: 2 } });
    }
  }
  const final = (yield expireApproval({ tenantId, approvalId, traceId: request.traceId })) as { status: string; decidedBy?: string; comment?: string };
  if (final.status === 'approved' || final.status === 'rejected') {
    // A decision raced the timer and was recorded first: it stands.
    return yield* finish(final.status, final.decidedBy, final.comment);
  }
  yield recordStep({ tenantId, projectId, workflowId, step: request.gate, patch: { status: 'failed', failure: 'expired without a decision (escalated once)', finished: true } });
  return { approvalId, outcome: 'expired' } satisfies ApprovalGateOutcome;

  function* finish(outcome: 'approved' | 'rejected', decidedBy?: string, comment?: string): Generator<df.Task, ApprovalGateOutcome, unknown> {
    const failure = outcome === 'approved' ? undefined : `rejected by ${decidedBy ?? 'an approver'}${comment ? `: ${comment}` : ''}`;
    yield recordStep({ tenantId, projectId, workflowId, step: request.gate, patch: { status: outcome === 'approved' ? 'succeeded' : 'failed', failure, finished: true } });
    return { approvalId, outcome, decidedBy, comment };
  }
});
