import * as df from 'durable-functions';
import type { OrchestrationContext } from 'durable-functions';
import type { ApprovalGateOutcome, ApprovalGateRequest } from './approvalGate';
import { deployRelease, endPromotion, endRelease, evaluateReleasePolicy, loadRelease, promoteRelease, recordPromotion, rollBackRelease, startPromotion, verifyRelease } from './deliveryActivities';
import { RELEASE_APPROVAL } from './policies';

/** What the releases API starts Release with. */
export interface ReleaseInput {
  tenantId: string;
  projectId: string;
  releaseId: string;
  traceId: string;
  approvalTimeoutMs: number;
  /** Only this environment of the manifest: the promotion of a finished release to its next stage. */
  only?: string;
}

interface LoadedRelease {
  version: string;
  environments: { name: string; order: number; approvals: string[] }[];
}

/**
 * Release: the manifest → per environment in blueprint order: policy evaluation (recorded) →
 * approval gate where the policy or the blueprint's `release.approvals` asks → deploy → health
 * check (replicas ready, smoke call) → promote; a failed check rolls the environment back to its
 * last good deployment and stops the release with the reason. With `only`, the same for that one
 * environment (`POST …/releases/{id}/promotions`).
 */
export const releaseOrchestration = df.app.orchestration('Release', function* (context: OrchestrationContext) {
  const input = context.df.getInput() as ReleaseInput;
  const { tenantId, projectId, releaseId, traceId } = input;
  const release = (yield loadRelease({ tenantId, projectId, releaseId })) as LoadedRelease;
  for (const environment of release.environments.filter((e) => !input.only || e.name === input.only)) {
    const target = { tenantId, projectId, releaseId, environment: environment.name, traceId };
    yield startPromotion(target);
    const policy = (yield evaluateReleasePolicy({ ...target, approvers: environment.approvals })) as { outcome: string; approvers: string[]; reason: string };
    if (policy.outcome === 'deny') {
      const reason = `${environment.name}: denied by policy: ${policy.reason}`;
      yield endPromotion({ ...target, phase: 'Rejected', reason });
      yield endRelease({ tenantId, projectId, releaseId, status: 'Rejected', reason });
      return { status: 'Rejected', reason };
    }
    const roles = [...new Set([...(policy.outcome === 'require-approval' ? policy.approvers : []), ...environment.approvals])];
    if (roles.length > 0) {
      yield recordPromotion({ ...target, step: { name: 'Approval', status: 'running', output: `waiting for ${roles.join(' or ')}` }, phase: 'WaitingForApproval' });
      const gate: ApprovalGateRequest = { tenantId, projectId, workflowId: releaseId, traceId, gate: `Promote-${environment.name}`, subject: `Release ${release.version} of ${projectId} to ${environment.name}`, roles, escalationRoles: [...RELEASE_APPROVAL.escalationRoles], timeoutMs: input.approvalTimeoutMs };
      const approval = (yield context.df.callSubOrchestrator('ApprovalGate', gate, `${context.df.instanceId}:approval:${environment.name}`)) as ApprovalGateOutcome;
      const approved = approval.outcome === 'approved';
      yield recordPromotion({ ...target, step: { name: 'Approval', status: approved ? 'succeeded' : 'failed', output: `${approval.outcome}${approval.decidedBy ? ` by ${approval.decidedBy}` : ''}${approval.comment ? `: ${approval.comment}` : ''}` } });
      if (!approved) {
        const reason = `${environment.name}: approval ${approval.outcome}`;
        yield endPromotion({ ...target, phase: 'Rejected', reason });
        yield endRelease({ tenantId, projectId, releaseId, status: 'Rejected', reason });
        return { status: 'Rejected', reason };
      }
    }
    const deployed = (yield deployRelease(target)) as { ok: boolean; reason?: string };
    const verified = deployed.ok ? ((yield verifyRelease(target)) as { ok: boolean; reason?: string }) : deployed;
    if (!verified.ok) {
      const reason = `${environment.name}: ${verified.reason ?? 'health check failed'}`;
      yield rollBackRelease({ ...target, reason });
      yield endRelease({ tenantId, projectId, releaseId, status: 'Failed', reason });
      return { status: 'Failed', reason };
    }
    yield promoteRelease(target);
  }
  yield endRelease({ tenantId, projectId, releaseId, status: 'Succeeded' });
  return { status: 'Succeeded' };
});
