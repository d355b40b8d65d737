import * as df from 'durable-functions';
import type { OrchestrationContext } from 'durable-functions';
import type { ApprovalGateOutcome, ApprovalGateRequest } from './approvalGate';
import { createMilestoneRelease, evaluateMilestoneGate, finishMilestone } from './deliveryActivities';
import { MILESTONE_APPROVAL } from './policies';

/** What the milestones API starts MilestoneLifecycle with. */
export interface MilestoneInput {
  tenantId: string;
  projectId: string;
  milestoneId: string;
  name: string;
  traceId: string;
  approvalTimeoutMs: number;
}

/**
 * MilestoneLifecycle: quality gate (every grouped workflow completed with its modules validated, no
 * open drift, within budget) → approval → a Release of the milestone's ref, run as a sub-orchestration.
 */
export const milestoneOrchestration = df.app.orchestration('MilestoneLifecycle', function* (context: OrchestrationContext) {
  const input = context.df.getInput() as MilestoneInput;
  const { tenantId, projectId, milestoneId, traceId } = input;
  const gate = (yield evaluateMilestoneGate({ tenantId, projectId, milestoneId })) as { passed: boolean };
  if (!gate.passed) return { status: 'GateFailed' };
  const request: ApprovalGateRequest = { tenantId, projectId, workflowId: milestoneId, traceId, gate: MILESTONE_APPROVAL.gate, subject: `Release milestone '${input.name}' of ${projectId}`, roles: [...MILESTONE_APPROVAL.roles], escalationRoles: [...MILESTONE_APPROVAL.escalationRoles], timeoutMs: input.approvalTimeoutMs };
  const approval = (yield context.df.callSubOrchestrator('ApprovalGate', request, `${context.df.instanceId}:approval`)) as ApprovalGateOutcome;
  if (approval.outcome !== 'approved') {
    yield finishMilestone({ tenantId, projectId, milestoneId, status: 'Rejected', failure: `approval ${approval.outcome}` });
    return { status: 'Rejected' };
  }
  const release = (yield createMilestoneRelease({ tenantId, projectId, milestoneId, approvalTimeoutMs: input.approvalTimeoutMs })) as { instanceId: string; input: unknown };
  const outcome = (yield context.df.callSubOrchestrator('Release', release.input, release.instanceId)) as { status: string; reason?: string };
  yield finishMilestone({ tenantId, projectId, milestoneId, status: outcome.status === 'Succeeded' ? 'Released' : outcome.status === 'Rejected' ? 'Rejected' : 'ReleaseFailed', ...(outcome.reason ? { failure: outcome.reason } : {}) });
  return outcome;
});
