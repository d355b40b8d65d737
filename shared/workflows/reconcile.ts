import * as df from 'durable-functions';
import type { DurableClient } from 'durable-functions';
import type { ChangeContext } from '../platform/eventOutbox';
import { cancelWorkflow, finishWorkflowRecord, runningWorkflows, updateRunning } from './lifecycle';
import type { WorkflowDocument } from './schemas';
import type { WorkflowServices } from './services';

const ENDED = new Set<string>(['Terminated', 'Failed', 'Completed', 'Canceled']);
const LIVE = [df.OrchestrationRuntimeStatus.Running, df.OrchestrationRuntimeStatus.Pending, df.OrchestrationRuntimeStatus.Suspended];

/** The orchestration's runtime status, or undefined when the instance is unknown or the runtime does not answer. */
async function runtimeOf(client: DurableClient, instanceId: string): Promise<{ runtimeStatus?: string; input?: unknown; output?: unknown } | undefined> {
  try {
    return await client.getStatus(instanceId);
  } catch {
    return undefined;
  }
}

/**
 * Terminates every live child instance of a workflow (approval gates, agent tasks, microservice
 * assemblies and their nested tasks): the instances whose ids the orchestrations derive from the
 * workflow's (`<workflowId>:<step>`, `<workflowId>-retry<n>:<step>`), created since it started.
 * Instances that end meanwhile are skipped (the runtime answers 410 for them).
 */
export async function terminateChildren(client: DurableClient, workflow: Pick<WorkflowDocument, 'id' | 'startedAt'>, reason: string): Promise<string[]> {
  let live: { instanceId?: string }[];
  try {
    live = await client.getStatusBy({ createdTimeFrom: new Date(Date.parse(workflow.startedAt) - 1000), runtimeStatus: LIVE });
  } catch {
    return [];
  }
  const ids = live.map((s) => s.instanceId ?? '').filter((id) => id.startsWith(`${workflow.id}:`) || (id.startsWith(`${workflow.id}-retry`) && id.includes(':')));
  for (const id of ids) {
    try {
      await client.terminate(id, reason);
    } catch {
      /* ended meanwhile */
    }
  }
  return ids;
}

/**
 * Settles a `Running` record whose orchestration already ended without recording it (terminated or
 * purged through the durable API, crashed): Terminated → `Cancelled`, Failed/Completed → `Failed`;
 * its pending approvals are cancelled, its child instances terminated and its concurrency slot freed.
 * A record that is not Running, or whose orchestration is live or unknown, is returned unchanged.
 */
export async function reconcileWorkflow(services: WorkflowServices, client: DurableClient, workflow: WorkflowDocument): Promise<WorkflowDocument> {
  if (workflow.status !== 'Running') return workflow;
  const runtime = await runtimeOf(client, workflow.instanceId);
  if (!runtime?.runtimeStatus || !ENDED.has(runtime.runtimeStatus)) return workflow;
  const terminated = runtime.runtimeStatus === 'Terminated' || runtime.runtimeStatus === 'Canceled';
  const reason = `orchestration ${runtime.runtimeStatus.toLowerCase()} outside the workflow API${typeof runtime.output === 'string' && runtime.output ? `: ${runtime.output}` : ''}`;
  const { tenantId, projectId, id: workflowId } = workflow;
  await terminateChildren(client, workflow, reason);
  await services.approvals.cancelForWorkflow(tenantId, workflowId, reason);
  const change: ChangeContext = { principal: { id: 'system:workflows' }, traceId: workflow.traceId };
  await finishWorkflowRecord(services, { tenantId, projectId, workflowId, traceId: change.traceId, status: terminated ? 'Cancelled' : 'Failed', failure: reason });
  return (await services.workflows.get(tenantId, projectId, workflowId)) ?? workflow;
}

/**
 * The tenant's running workflows after reconciling each against its orchestration (what the
 * concurrency policy counts): an entry whose record is gone or already finished is dropped, and a
 * Running record whose orchestration ended is settled by {@link reconcileWorkflow}.
 */
export async function reconciledRunning(services: WorkflowServices, client: DurableClient, tenantId: string): Promise<string[]> {
  for (const workflowId of await runningWorkflows(services, tenantId)) {
    const record = await recordOf(services, client, tenantId, workflowId);
    if (record?.status === 'Running') await reconcileWorkflow(services, client, record);
    else if (record || record === null) await updateRunning(services, tenantId, (ids) => ids.filter((id) => id !== workflowId));
  }
  return runningWorkflows(services, tenantId);
}

/**
 * The running workflows the concurrency policy counts: the index as stored while it is below `limit`
 * (nothing to free), otherwise reconciled first, so an orchestration ended outside the API frees its slot.
 */
export async function countedRunning(services: WorkflowServices, client: DurableClient, tenantId: string, limit: number): Promise<string[]> {
  const running = await runningWorkflows(services, tenantId);
  return running.length < limit ? running : reconciledRunning(services, client, tenantId);
}

/** The record of a workflow in the running index (found through its first orchestration's input); null when gone, undefined when unknown. */
async function recordOf(services: WorkflowServices, client: DurableClient, tenantId: string, workflowId: string): Promise<WorkflowDocument | null | undefined> {
  const input = (await runtimeOf(client, workflowId))?.input as { tenantId?: string; projectId?: string } | undefined;
  if (!input?.projectId || input.tenantId !== tenantId) return undefined;
  return (await services.workflows.get(tenantId, input.projectId, workflowId)) ?? null;
}

/**
 * Cancels every running workflow of a tenant (used when the tenant is deleted): terminates the
 * orchestrations and their children, cancels pending approvals and records them `Cancelled`.
 */
export async function cancelTenantWorkflows(services: WorkflowServices, client: DurableClient, tenantId: string, change: ChangeContext & { principal: { id: string } }, reason: string): Promise<string[]> {
  const cancelled: string[] = [];
  for (const workflowId of await runningWorkflows(services, tenantId)) {
    const record = await recordOf(services, client, tenantId, workflowId);
    if (!record) continue;
    await cancelWorkflow(services, client, { tenantId, projectId: record.projectId }, workflowId, change, reason);
    cancelled.push(workflowId);
  }
  return cancelled;
}
