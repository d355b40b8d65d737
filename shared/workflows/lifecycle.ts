import { randomUUID } from 'node:crypto';
import type { DurableClient } from 'durable-functions';
import { changeEvent, ChangeContext } from '../platform/eventOutbox';
import { Forbidden, NotFound, QuotaExceeded, Validation } from '../platform/http/errors';
import { StoreConflict, type StoredDocument } from '../platform/ports';
import { requireProject } from '../projects/lookup';
import { findBlueprintVersion } from './blueprintVersions';
import type { WorkflowDocument, WorkflowKind, WorkflowSummary } from './schemas';
import type { WorkflowServices } from './services';
import { toTenantFailure } from './failureText';
import { countedRunning, terminateChildren } from './reconcile';

const RUNNING_INDEX = { id: 'running-workflows', projectId: '_tenant' };

interface RunningIndex extends StoredDocument {
  projectId: string;
  type: 'runningWorkflows';
  workflows: string[];
}

/** Timeouts the orchestration runs with, from configuration (short in tests, long in production). */
export function timeouts(services: WorkflowServices): { agentTaskTimeoutMs: number; approvalTimeoutMs: number } {
  const { config } = services.platform;
  return {
    agentTaskTimeoutMs: config.FACTORY_AGENT_TASK_TIMEOUT_SECONDS * 1000,
    approvalTimeoutMs: config.FACTORY_APPROVAL_TIMEOUT_SECONDS * 1000,
  };
}

/** The ids of the tenant's running workflows (the concurrency index the start policies read). */
export async function runningWorkflows(services: WorkflowServices, tenantId: string): Promise<string[]> {
  return (await services.platform.store.read<RunningIndex>('workflows', { tenantId, projectId: RUNNING_INDEX.projectId }, RUNNING_INDEX.id))?.workflows ?? [];
}

export async function updateRunning(services: WorkflowServices, tenantId: string, change: (ids: string[]) => string[]): Promise<string[]> {
  const { store } = services.platform;
  const key = { tenantId, projectId: RUNNING_INDEX.projectId };
  for (let attempt = 0; attempt < 30; attempt++) {
    const current = await store.read<RunningIndex>('workflows', key, RUNNING_INDEX.id);
    const next = change([...(current?.workflows ?? [])]);
    try {
      const doc: RunningIndex = { id: RUNNING_INDEX.id, tenantId, projectId: RUNNING_INDEX.projectId, type: 'runningWorkflows', workflows: next };
      if (current) await store.replace('workflows', doc, current._etag);
      else await store.create('workflows', doc);
      return next;
    } catch (error) {
      if (!(error instanceof StoreConflict)) throw error;
    }
  }
  throw new Error('Too much contention on the running-workflows index.');
}

/**
 * Starts a workflow: evaluates the `workflow-start` policies (edition entitlements, concurrent
 * workflows, budget) — a deny answers a problem and starts nothing — then records the workflow and
 * its WorkflowStarted event and starts the orchestration.
 */
export async function startWorkflow(
  services: WorkflowServices,
  client: DurableClient,
  request: { tenantId: string; projectId: string; kind: WorkflowKind; blueprintVersion?: number; fromVersion?: number },
  change: ChangeContext & { principal: { id: string } },
): Promise<WorkflowDocument> {
  const { tenantId, projectId } = request;
  await requireProject(services.platform.store, tenantId, projectId);
  const version = await findBlueprintVersion(services.platform.store, tenantId, projectId, request.blueprintVersion);
  const workflowId = `wf-${randomUUID().replace(/-/g, '').slice(0, 20)}`;
  const [entitlements, budget] = await Promise.all([services.entitlements(tenantId), services.budgetStatus(tenantId, projectId)]);
  const running = await countedRunning(services, client, tenantId, entitlements.maxConcurrentWorkflows);
  const decision = await services.evaluateStart(
    { kind: request.kind, blueprintVersion: version.version, blueprint: { ...(version.blueprint.spec.edition ? { edition: version.blueprint.spec.edition } : {}) }, entitlements, budget, workflows: { running: running.length } },
    { tenantId, projectId, workflowId, principal: change.principal, traceId: change.traceId },
  );
  if (decision.outcome === 'deny') {
    const detail = `Policy '${decision.rule}' denies starting ${request.kind}: ${decision.reason}`;
    if (decision.rule.includes('budget') || decision.rule.includes('concurrent')) throw new QuotaExceeded(detail, { code: 'PolicyDenied' });
    throw new Forbidden(detail, 'PolicyDenied');
  }
  await updateRunning(services, tenantId, (ids) => [...ids, workflowId]);
  const now = new Date().toISOString();
  const workflow: WorkflowDocument = {
    id: workflowId,
    tenantId,
    projectId,
    type: 'workflow',
    kind: request.kind,
    status: 'Running',
    blueprintVersion: version.version,
    instanceId: workflowId,
    traceId: change.traceId,
    requestedBy: change.principal.id,
    startedAt: now,
    policyDecisionId: decision.id,
  };
  const fromVersion = request.kind === 'SprintExecution' ? (request.fromVersion ?? version.version - 1) : undefined;
  if (fromVersion !== undefined) {
    if (fromVersion < 1 || fromVersion >= version.version) throw new Validation([{ path: 'body.fromVersion', message: `must name an earlier version than ${version.version}` }]);
    await findBlueprintVersion(services.platform.store, tenantId, projectId, fromVersion);
  }
  const event = changeEvent('WorkflowStarted.v1', { workflowId, kind: request.kind, blueprintVersion: version.version } as never, change, { tenantId, projectId, workflowId, subject: `workflows/${workflowId}` });
  await services.platform.outbox.commit('workflows', { tenantId, projectId }, [{ op: 'create', document: workflow }], [event]);
  const t = timeouts(services);
  await client.startNew(request.kind, {
    instanceId: workflowId,
    input: {
      tenantId,
      projectId,
      workflowId,
      traceId: change.traceId,
      blueprintVersion: version.version,
      ...t,
      tokenBudget: entitlements.monthlyTokenBudget,
      policyDecisionId: decision.id,
      ...(fromVersion !== undefined ? { fromVersion } : {}),
    },
  });
  return workflow;
}

/** Records a workflow's end (idempotent: a finished workflow stays as it ended). */
export async function finishWorkflowRecord(
  services: WorkflowServices,
  input: { tenantId: string; projectId: string; workflowId: string; traceId: string; status: 'Completed' | 'Failed' | 'Rejected' | 'Cancelled'; failure?: string; summary?: WorkflowSummary; actor?: string },
): Promise<void> {
  const { store, outbox } = services.platform;
  const key = { tenantId: input.tenantId, projectId: input.projectId };
  for (let attempt = 0; attempt < 20; attempt++) {
    const workflow = await store.read<WorkflowDocument>('workflows', key, input.workflowId);
    if (!workflow) throw new NotFound(`Workflow '${input.workflowId}' was not found.`);
    if (workflow.status !== 'Running') break;
    const finishedAt = new Date();
    const { _etag, ...rest } = workflow;
    const failure = input.failure ? toTenantFailure(input.failure) : undefined;
    const next: WorkflowDocument = { ...rest, status: input.status, finishedAt: finishedAt.toISOString(), ...(failure ? { failure } : {}), ...(input.summary ? { summary: input.summary } : {}) };
    const change: ChangeContext = { principal: { id: input.actor ?? 'system:workflows' }, traceId: input.traceId };
    const context = { tenantId: input.tenantId, projectId: input.projectId, workflowId: input.workflowId, subject: `workflows/${input.workflowId}` };
    const event =
      input.status === 'Completed'
        ? changeEvent('WorkflowCompleted.v1', { workflowId: input.workflowId, kind: workflow.kind, durationMs: finishedAt.getTime() - Date.parse(workflow.startedAt) } as never, change, context)
        : changeEvent('WorkflowFailed.v1', { workflowId: input.workflowId, kind: workflow.kind, reason: failure ?? input.status } as never, change, context);
    try {
      await outbox.commit('workflows', key, [{ op: 'replace', document: next, ifMatch: _etag }], [event]);
      break;
    } catch (error) {
      if (!(error instanceof StoreConflict)) throw error;
    }
  }
  await updateRunning(services, input.tenantId, (ids) => ids.filter((id) => id !== input.workflowId));
}

/** Cancels a running workflow: terminates the orchestration and its child instances, cancels its pending approvals, records it. */
export async function cancelWorkflow(services: WorkflowServices, client: DurableClient, key: { tenantId: string; projectId: string }, workflowId: string, change: ChangeContext & { principal: { id: string } }, reason: string): Promise<WorkflowDocument> {
  const workflow = await services.workflows.get(key.tenantId, key.projectId, workflowId);
  if (!workflow) throw new NotFound(`Workflow '${workflowId}' was not found.`);
  if (workflow.status !== 'Running') return workflow;
  try {
    await client.terminate(workflow.instanceId, reason);
  } catch {
    /* already finished: the record below still settles it */
  }
  await terminateChildren(client, workflow, reason);
  await services.approvals.cancelForWorkflow(key.tenantId, workflowId, reason);
  await finishWorkflowRecord(services, { ...key, workflowId, traceId: change.traceId, status: 'Cancelled', failure: `cancelled by ${change.principal.id}: ${reason}`, actor: change.principal.id });
  return (await services.workflows.get(key.tenantId, key.projectId, workflowId))!;
}
