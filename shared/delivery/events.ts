import { z } from 'zod';
import { defineEvent } from '../platform/events/defineEvent';

const environment = z.string().describe('dev, staging or production');

/** The delivery context's events (listed in the platform event catalog). */
export const deliveryEvents = [
  defineEvent('ReleaseCreated.v1', z.object({ releaseId: z.string(), version: z.string(), commit: z.string(), modules: z.array(z.object({ name: z.string(), version: z.string() })), environments: z.array(z.string()) })),
  defineEvent('ReleaseFinished.v1', z.object({ releaseId: z.string(), status: z.enum(['Succeeded', 'Failed', 'Rejected']), reason: z.string().optional() })),
  defineEvent('PromotionRequested.v1', z.object({ releaseId: z.string(), environment, version: z.string() })),
  defineEvent('PromotionStarted.v1', z.object({ promotionId: z.string(), releaseId: z.string(), environment })),
  defineEvent('PromotionFinished.v1', z.object({ promotionId: z.string(), releaseId: z.string(), environment, phase: z.enum(['Succeeded', 'Failed', 'RolledBack', 'Rejected']), reason: z.string().optional() })),
  defineEvent('DeploymentSucceeded.v1', z.object({ deploymentId: z.string(), environment, module: z.string(), releaseId: z.string(), version: z.string(), kind: z.string(), endpoints: z.array(z.string()) })),
  defineEvent('DeploymentFailed.v1', z.object({ deploymentId: z.string(), environment, module: z.string(), releaseId: z.string(), version: z.string(), reason: z.string() })),
  defineEvent('DeploymentRolledBack.v1', z.object({ deploymentId: z.string(), environment, module: z.string(), fromReleaseId: z.string(), toReleaseId: z.string(), toVersion: z.string(), reason: z.string() })),
  defineEvent('RuntimeDriftResolved.v1', z.object({ findingId: z.string(), environment, module: z.string(), kind: z.string() })),
  defineEvent('EnvironmentUpdated.v1', z.object({ environment, changes: z.array(z.string()) })),
  defineEvent('PullRequestMerged.v1', z.object({ pullRequestId: z.string(), sourceBranch: z.string(), targetBranch: z.string(), commit: z.string(), fastForward: z.boolean() })),
  defineEvent('MilestoneChanged.v1', z.object({ milestoneId: z.string(), name: z.string(), status: z.string(), releaseId: z.string().optional() })),
] as const;
