import { z } from 'zod';
import { ROLES } from '../auth/roles';
import { defineEvent, toEventCatalog } from './defineEvent';

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
  defineEvent('BlueprintRejected.v1', z.object({ version: z.number().int().positive(), errors: z.array(fieldError).min(1) })),
  defineEvent('WorkflowStarted.v1', z.object({ workflowId: z.string(), kind: workflowKind, blueprintVersion: z.number().int().positive().optional() })),
  defineEvent('WorkflowCompleted.v1', z.object({ workflowId: z.string(), kind: workflowKind, durationMs: z.number().nonnegative() })),
  defineEvent('WorkflowFailed.v1', z.object({ workflowId: z.string(), kind: workflowKind, reason: z.string(), step: z.string().optional() })),
  defineEvent(
    'ApprovalRequested.v1',
    z.object({ approvalId: z.string(), gate: z.string(), requiredRoles: z.array(z.enum(ROLES)).min(1), expiresAt: z.string().optional() }),
  ),
  defineEvent(
    'ApprovalDecided.v1',
    z.object({ approvalId: z.string(), decision: z.enum(['approved', 'rejected']), decidedBy: z.string(), comment: z.string().optional() }),
  ),
  defineEvent(
    'PolicyDecided.v1',
    z.object({ policyId: z.string(), action: z.string(), decision: z.enum(['allow', 'deny', 'requireApproval']), reasons: z.array(z.string()) }),
  ),
  defineEvent(
    'BudgetExceeded.v1',
    z.object({ period: z.string().describe('e.g. 2025-06'), budget: z.number().nonnegative(), actual: z.number().nonnegative(), currency: z.string().length(3) }),
  ),
  defineEvent(
    'RuntimeDriftDetected.v1',
    z.object({
      environment,
      findings: z.array(z.object({ resource: z.string(), property: z.string(), expected: z.unknown(), actual: z.unknown() })).min(1),
    }),
  ),
  defineEvent(
    'ArtifactStored.v1',
    z.object({ artifactId: z.string(), kind: z.string(), contentHash: z.string(), size: z.number().int().nonnegative(), contentType: z.string() }),
  ),
  defineEvent('TenantUpdated.v1', z.object({ changes: z.array(z.string()).min(1) })),
  defineEvent('ProjectUpdated.v1', z.object({ projectId: z.string(), changes: z.array(z.string()).min(1) })),
  // Contexts append their further events here, one defineEvent each.
  defineEvent(
    'ArtifactValidated.v1',
    z.object({ artifactId: z.string(), kind: z.string(), version: z.number().int().positive(), status: z.enum(['pending', 'passed', 'failed']), findings: z.number().int().nonnegative() }),
  ),
);

export type EventCatalog = typeof eventCatalog;

/** Every catalogued event type name. */
export type EventType = keyof EventCatalog;

/** The `data` type of an event type. */
export type EventData<T extends EventType> = z.output<EventCatalog[T]['data']>;
