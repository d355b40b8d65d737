import { z } from 'zod';
import { ROLES } from '../auth/roles';
import { defineEvent, toEventCatalog } from './defineEvent';
import { deliveryEvents } from '../../delivery/events';

const fieldError = z.object({ path: z.string(), message: z.string() });
const workflowKind = z.string().min(1).describe('Coordinator name, e.g. blueprintToRelease');
const environment = z.enum(['dev', 'staging', 'production']);

/**
 * Every event type the factory publishes, with the schema of its data. Contexts add their events
 * here (or define them in their `events.ts` and list them here) so the topic has one catalog.
 */
export const eventCatalog = toEventCatalog(
  defineEvent('TenantCreated.v1', z.object({ name: z.string(), edition: z.enum(['free', 'pro', 'enterprise']) })),
  defineEvent('ProjectCreated.v1', z.object({ projectId: z.string(), name: z.string() })),
  defineEvent('ApiKeyCreated.v1', z.object({ keyId: z.string(), name: z.string(), roles: z.array(z.enum(ROLES)), expiresAt: z.string().optional() })),
  defineEvent('ApiKeyRevoked.v1', z.object({ keyId: z.string() })),
  defineEvent('BlueprintSubmitted.v1', z.object({ version: z.number().int().positive(), format: z.enum(['yaml', 'json']), contentHash: z.string(), submittedBy: z.string() })),
  defineEvent('BlueprintValidated.v1', z.object({ version: z.number().int().positive(), warnings: z.array(fieldError) })),
  defineEvent(
    'BlueprintRejected.v1',
    z.object({
      version: z.number().int().positive().optional().describe('Absent for a rejected submission: only valid blueprints get a version number'),
      errors: z.array(fieldError.extend({ code: z.string().optional() })).min(1).describe('The first problems (at most 100), each with its path and stable code'),
      errorCount: z.number().int().positive().optional().describe('How many problems there were in all'),
      rejectionId: z.string().optional().describe('The rejection record in the blueprints container'),
      format: z.enum(['yaml', 'json']).optional(),
      submittedBy: z.string().optional(),
    }),
  ),
  defineEvent('WorkflowStarted.v1', z.object({ workflowId: z.string(), kind: workflowKind, blueprintVersion: z.number().int().positive().optional() })),
  defineEvent('WorkflowCompleted.v1', z.object({ workflowId: z.string(), kind: workflowKind, durationMs: z.number().nonnegative() })),
  defineEvent('WorkflowFailed.v1', z.object({ workflowId: z.string(), kind: workflowKind, reason: z.string(), step: z.string().optional() })),
  defineEvent(
    'ApprovalRequested.v1',
    z.object({
      approvalId: z.string(),
      gate: z.string(),
      subject: z.string().optional().describe('What is to be approved, e.g. the architecture of project vet-clinic'),
      requiredRoles: z.array(z.enum(ROLES)).min(1),
      escalationRoles: z.array(z.enum(ROLES)).optional().describe('Roles added to the deciders if the gate escalates'),
      expiresAt: z.string().optional(),
    }),
  ),
  defineEvent(
    'ApprovalDecided.v1',
    z.object({
      approvalId: z.string(),
      gate: z.string().optional(),
      decision: z.enum(['approved', 'rejected', 'expired', 'cancelled']).describe('expired counts as rejected; cancelled: the workflow was cancelled'),
      decidedBy: z.string().optional().describe('The principal who decided; absent when the gate expired or was cancelled'),
      comment: z.string().optional(),
    }),
  ),
  defineEvent(
    'PolicyDecided.v1',
    z.object({
      decisionId: z.string(),
      point: z.enum(['workflow-start', 'approval', 'release']),
      outcome: z.enum(['allow', 'deny', 'require-approval']),
      rule: z.string().describe('Id of the deciding rule; default-allow when none matched'),
      reason: z.string(),
      approvers: z.array(z.enum(ROLES)).optional(),
      inputs: z.record(z.string(), z.unknown()).describe('The input the policies were evaluated on'),
    }),
  ),
  defineEvent(
    'BudgetExceeded.v1',
    z.object({ period: z.string().describe('e.g. 2025-06'), budget: z.number().nonnegative(), actual: z.number().nonnegative(), currency: z.string().length(3) }),
  ),
  defineEvent(
    'RuntimeDriftDetected.v1',
    z.object({
      environment,
      findings: z.array(z.object({ resource: z.string(), property: z.string(), expected: z.unknown(), actual: z.unknown(), findingId: z.string().optional() })).min(1),
    }),
  ),
  defineEvent(
    'ArtifactStored.v1',
    z.object({ artifactId: z.string(), kind: z.string(), contentHash: z.string(), size: z.number().int().nonnegative(), contentType: z.string() }),
  ),
  defineEvent('TenantUpdated.v1', z.object({ changes: z.array(z.string()).min(1) })),
  defineEvent('ProjectUpdated.v1', z.object({ projectId: z.string(), changes: z.array(z.string()).min(1) })),
  defineEvent(
    'PullRequestOpened.v1',
    z.object({ pullRequestId: z.string(), sourceBranch: z.string(), targetBranch: z.string(), commit: z.string(), modules: z.array(z.string()) }),
  ),
  // Contexts append their further events here, one defineEvent each.
  defineEvent(
    'BudgetSet.v1',
    z.object({ monthlyBudgetUsd: z.number().nonnegative().nullable().describe('null: the budget was removed'), previousUsd: z.number().nonnegative().nullable(), currency: z.string().length(3) }),
  ),
  ...deliveryEvents,
  defineEvent('ApprovalEscalated.v1', z.object({ approvalId: z.string(), gate: z.string(), addedRoles: z.array(z.enum(ROLES)), eligibleRoles: z.array(z.enum(ROLES)).min(1) })),
  defineEvent('PoliciesUpdated.v1', z.object({ ruleIds: z.array(z.string()).describe('The tenant rules now in force, in order'), count: z.number().int().nonnegative() })),
  defineEvent(
    'ArtifactValidated.v1',
    z.object({ artifactId: z.string(), kind: z.string(), version: z.number().int().positive(), status: z.enum(['pending', 'passed', 'failed']), findings: z.number().int().nonnegative() }),
  ),
  defineEvent(
    'ApprovalAttemptRejected.v1',
    z.object({
      approvalId: z.string(),
      gate: z.string(),
      attemptId: z.string().describe('Deterministic per gate and attempt, so a retried check records it once'),
      claimed: z.unknown().describe('The raised event data as received (untrusted)'),
      recordedStatus: z.string().describe('The approval record status when the attempt was checked'),
      reason: z.string(),
    }),
  ),
  defineEvent(
    'AgentResultRejected.v1',
    z.object({ taskId: z.string(), attemptId: z.string(), claimed: z.unknown().describe('The raised event data as received (untrusted)'), reason: z.string() }),
  ),
  defineEvent(
    'WorkflowRetried.v1',
    z.object({ workflowId: z.string(), kind: workflowKind, retry: z.number().int().positive(), instanceId: z.string(), reusedSteps: z.array(z.string()).describe('Steps taken over from the failed run') }),
  ),
  defineEvent('TenantSuspended.v1', z.object({ reason: z.string().optional() })),
  defineEvent('TenantResumed.v1', z.object({})),
  defineEvent('TenantDeleted.v1', z.object({ reason: z.string().optional(), revokedKeys: z.number().int().nonnegative() })),
);

export type EventCatalog = typeof eventCatalog;

/** Every catalogued event type name. */
export type EventType = keyof EventCatalog;

/** The `data` type of an event type. */
export type EventData<T extends EventType> = z.output<EventCatalog[T]['data']>;
