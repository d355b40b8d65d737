import * as df from 'durable-functions';
import type { OrchestrationContext } from 'durable-functions';
import { escalateApproval, expireApproval, recordStep, requestApproval } from './activities';

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

interface ApprovalDecisionEvent {
  approvalId: string;
  decision: 'approved' | 'rejected';
  comment?: string;
  decidedBy?: string;
}

/**
 * Approval gate (sub-orchestration): records the request and waits for the decision event or a
 * durable timer; on the first timeout it escalates once to the next roles, on the second it
 * expires as rejected.
 */
export const approvalGateOrchestration = df.app.orchestration('ApprovalGate', function* (context: OrchestrationContext) {
  const request = context.df.getInput() as ApprovalGateRequest;
  const { tenantId, projectId, workflowId } = request;
  const approvalId = `${workflowId}-${request.gate}`;
  yield recordStep({ tenantId, projectId, workflowId, step: request.gate, patch: { status: 'waiting', attempts: 1 } });
  yield requestApproval({ ...request, approvalId, instanceId: context.df.instanceId });
  const decision = context.df.waitForExternalEvent('ApprovalDecision');
  for (const phase of ['requested', 'escalated'] as const) {
    const timer = context.df.createTimer(new Date(context.df.currentUtcDateTime.getTime() + request.timeoutMs));
    const winner = yield context.df.Task.any([decision, timer]);
    if (winner === decision) {
      timer.cancel();
      const event = decision.result as ApprovalDecisionEvent;
      const outcome: ApprovalGateOutcome = { approvalId, outcome: event.decision, decidedBy: event.decidedBy, comment: event.comment };
      yield recordStep({ tenantId, projectId, workflowId, step: request.gate, patch: { status: event.decision === 'approved' ? 'succeeded' : 'failed', failure: event.decision === 'approved' ? undefined : `rejected by ${event.decidedBy ?? 'an approver'}${event.comment ? `: ${event.comment}` : ''}`, finished: true } });
      return outcome;
    }
    if (phase === 'requested') {
      yield escalateApproval({ tenantId, approvalId, traceId: request.traceId });
      yield recordStep({ tenantId, projectId, workflowId, step: request.gate, patch: { status: 'waiting', attempts: 2 } });
    }
  }
  const final = (yield expireApproval({ tenantId, approvalId, traceId: request.traceId })) as { status: string; decidedBy?: string; comment?: string };
  if (final.status === 'approved' || final.status === 'rejected') {
    // A decision raced the timer and was recorded first: it stands.
    yield recordStep({ tenantId, projectId, workflowId, step: request.gate, patch: { status: final.status === 'approved' ? 'succeeded' : 'failed', finished: true } });
    return { approvalId, outcome: final.status, decidedBy: final.decidedBy, comment: final.comment } satisfies ApprovalGateOutcome;
  }
  yield recordStep({ tenantId, projectId, workflowId, step: request.gate, patch: { status: 'failed', failure: 'expired without a decision (escalated once)', finished: true } });
  return { approvalId, outcome: 'expired' } satisfies ApprovalGateOutcome;
});
