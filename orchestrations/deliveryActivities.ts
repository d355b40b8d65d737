import * as df from 'durable-functions';
import { beginPromotion, finishPromotion, recordPromotionStep } from '../shared/delivery/promotionRecord';
import { completePromotion, deployPromotion, evaluatePromotionPolicy, rollBackPromotion, verifyPromotion, type PromotionTarget } from '../shared/delivery/promotionSteps';
import { createRelease, finishRelease, requireRelease } from '../shared/delivery/releaseService';
import { evaluateQualityGate, requireMilestone, updateMilestone } from '../shared/delivery/milestoneService';
import { getDeliveryServices } from '../shared/delivery/services';
import { reapplyDesiredState, scanAfterRemediation } from '../shared/delivery/remediation';
import { mergeWorkflowBranch } from '../shared/delivery/pullRequestService';
import type { PromotionStep } from '../shared/delivery/schemas';

// The I/O of Release and DriftRemediation. Activities run at least once: each converges or is keyed.

type ReleaseKey = { tenantId: string; projectId: string; releaseId: string };

export const loadRelease = df.app.activity('LoadRelease', {
  handler: async (input: ReleaseKey) => {
    const release = await requireRelease(await getDeliveryServices(), input, input.releaseId);
    return { version: release.version, environments: release.manifest.environments, traceId: release.traceId };
  },
});

export const startPromotion = df.app.activity('BeginPromotion', {
  handler: async (input: PromotionTarget) => beginPromotion(await getDeliveryServices(), input, input, input.environment),
});

export const evaluateReleasePolicy = df.app.activity('EvaluateReleasePolicy', {
  handler: async (input: PromotionTarget & { approvers: string[] }) => evaluatePromotionPolicy(await getDeliveryServices(), input, input.approvers),
});

export const recordPromotion = df.app.activity('RecordPromotionStep', {
  handler: async (input: PromotionTarget & { step: { name: string; status: PromotionStep['status']; output?: string }; phase?: 'WaitingForApproval' }) => {
    await recordPromotionStep(await getDeliveryServices(), input, input.releaseId, input.environment, input.step, input.phase);
  },
});

export const deployRelease = df.app.activity('DeployRelease', {
  handler: async (input: PromotionTarget) => deployPromotion(await getDeliveryServices(), input),
});

export const verifyRelease = df.app.activity('VerifyRelease', {
  handler: async (input: PromotionTarget) => verifyPromotion(await getDeliveryServices(), input),
});

export const promoteRelease = df.app.activity('PromoteRelease', {
  handler: async (input: PromotionTarget) => completePromotion(await getDeliveryServices(), input),
});

export const rollBackRelease = df.app.activity('RollBackRelease', {
  handler: async (input: PromotionTarget & { reason: string }) => rollBackPromotion(await getDeliveryServices(), input, input.reason),
});

export const endPromotion = df.app.activity('FinishPromotion', {
  handler: async (input: PromotionTarget & { phase: 'Failed' | 'Rejected'; reason: string }) => {
    await finishPromotion(await getDeliveryServices(), input, input.releaseId, input.environment, input.phase, input.reason);
  },
});

export const endRelease = df.app.activity('FinishRelease', {
  handler: async (input: ReleaseKey & { status: 'Succeeded' | 'Failed' | 'Rejected'; reason?: string }) => {
    await finishRelease(await getDeliveryServices(), input, input.releaseId, input.status, input.reason);
  },
});

export const reapplyDesired = df.app.activity('ReapplyDesiredState', {
  handler: async (input: { tenantId: string; projectId: string; environment: string; traceId: string; remediationId: string }) => reapplyDesiredState(await getDeliveryServices(), input),
});

export const rescanDrift = df.app.activity('ScanDrift', {
  handler: async (input: { tenantId: string; projectId: string; environment: string; traceId: string }) => scanAfterRemediation(await getDeliveryServices(), input),
});

/** Merges a completed ProjectBootstrap's branch into main, or opens a pull request (FACTORY_BOOTSTRAP_MERGE). */
export const mergeToMain = df.app.activity('MergeWorkflowBranch', {
  handler: async (input: { tenantId: string; projectId: string; workflowId: string; traceId: string; branch: string; blueprintVersion: number }) => mergeWorkflowBranch(await getDeliveryServices(), input),
});

export const evaluateMilestoneGate = df.app.activity('EvaluateMilestoneGate', {
  handler: async (input: { tenantId: string; projectId: string; milestoneId: string }) => evaluateQualityGate(await getDeliveryServices(), input, input.milestoneId),
});

/** Creates the milestone's release once (a re-run finds the recorded one) and returns what Release starts with. */
export const createMilestoneRelease = df.app.activity('CreateMilestoneRelease', {
  handler: async (input: { tenantId: string; projectId: string; milestoneId: string; approvalTimeoutMs: number }) => {
    const services = await getDeliveryServices();
    const milestone = await requireMilestone(services, input, input.milestoneId);
    const release = milestone.releaseId ? await requireRelease(services, input, milestone.releaseId) : await createRelease(services, input, { ref: milestone.ref }, { principal: { id: 'system:milestone' }, traceId: milestone.traceId });
    await updateMilestone(services, input, input.milestoneId, { status: 'Releasing', releaseId: release.releaseId });
    return { instanceId: release.instanceId, input: { tenantId: input.tenantId, projectId: input.projectId, releaseId: release.releaseId, traceId: release.traceId, approvalTimeoutMs: input.approvalTimeoutMs } };
  },
});

export const finishMilestone = df.app.activity('FinishMilestone', {
  handler: async (input: { tenantId: string; projectId: string; milestoneId: string; status: 'Released' | 'Rejected' | 'ReleaseFailed'; failure?: string }) => {
    await updateMilestone(await getDeliveryServices(), input, input.milestoneId, { status: input.status, ...(input.failure ? { failure: input.failure } : {}), finishedAt: new Date().toISOString() });
  },
});
