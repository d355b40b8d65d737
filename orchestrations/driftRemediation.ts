import * as df from 'durable-functions';
import type { OrchestrationContext } from 'durable-functions';
import type { ApprovalGateOutcome, ApprovalGateRequest } from './approvalGate';
import { reapplyDesired, rescanDrift } from './deliveryActivities';
import { DRIFT_REMEDIATION_APPROVAL } from './policies';

/** What a drift scan starts DriftRemediation with. */
export interface DriftRemediationInput {
  tenantId: string;
  projectId: string;
  environment: string;
  traceId: string;
  remediationId: string;
  findingIds: string[];
  /** The environment heals itself (no approval); production does not by default. */
  selfHeal: boolean;
  approvalTimeoutMs: number;
}

/**
 * DriftRemediation: behind an approval unless the environment self-heals → re-apply the desired
 * state through the runtime provider → scan again (converged findings are resolved).
 */
export const driftRemediationOrchestration = df.app.orchestration('DriftRemediation', function* (context: OrchestrationContext) {
  const input = context.df.getInput() as DriftRemediationInput;
  const { tenantId, projectId, environment, traceId, remediationId } = input;
  if (!input.selfHeal) {
    const gate: ApprovalGateRequest = {
      tenantId,
      projectId,
      workflowId: remediationId,
      traceId,
      gate: DRIFT_REMEDIATION_APPROVAL.gate,
      subject: `Re-apply the desired state of ${projectId}/${environment} (${input.findingIds.length} drift findings: ${input.findingIds.join(', ')})`,
      roles: [...DRIFT_REMEDIATION_APPROVAL.roles],
      escalationRoles: [...DRIFT_REMEDIATION_APPROVAL.escalationRoles],
      timeoutMs: input.approvalTimeoutMs,
    };
    const approval = (yield context.df.callSubOrchestrator('ApprovalGate', gate, `${context.df.instanceId}:approval`)) as ApprovalGateOutcome;
    if (approval.outcome !== 'approved') return { outcome: 'not-approved', approval: approval.outcome };
  }
  const applied = (yield reapplyDesired({ tenantId, projectId, environment, traceId, remediationId })) as { outcomes: { module: string; status: string }[] };
  const scan = (yield rescanDrift({ tenantId, projectId, environment, traceId })) as { open: number };
  return { outcome: scan.open === 0 ? 'remediated' : 'partly-remediated', applied: applied.outcomes, open: scan.open };
});
