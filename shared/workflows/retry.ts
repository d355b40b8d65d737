import type { DurableClient } from 'durable-functions';
import { changeEvent, type ChangeContext } from '../platform/eventOutbox';
import { Conflict, Forbidden, NotFound, QuotaExceeded } from '../platform/http/errors';
import { runInTraceId } from '../platform/telemetry/propagation';
import { findBlueprintVersion } from './blueprintVersions';
import { timeouts, updateRunning } from './lifecycle';
import { countedRunning } from './reconcile';
import { reusedStepNames, toReusePlan } from './reusePlan';
import type { WorkflowDocument } from './schemas';
import type { WorkflowServices } from './services';

/** Kinds a retry can resume; SprintExecution is started again instead (its steps are per touched module). */
const RETRYABLE_KINDS = new Set(['ProjectBootstrap']);

/**
 * Retries a failed workflow from its failed steps (issue 9 §7): the same workflow record goes back
 * to Running and a new orchestration instance `<workflowId>-retry<n>` starts with a reuse plan built
 * from the timeline — succeeded agent steps keep their artifacts, an approved gate stays approved, a
 * module whose validation passed keeps its service and tests — so only what failed (and what
 * follows it) runs again. The workflow-start policies are evaluated again (a retry consumes budget).
 * 409 `WorkflowNotRetryable` unless the workflow is a failed ProjectBootstrap.
 */
export async function retryWorkflow(services: WorkflowServices, client: DurableClient, key: { tenantId: string; projectId: string }, workflowId: string, change: ChangeContext & { principal: { id: string } }): Promise<WorkflowDocument> {
  const { tenantId, projectId } = key;
  const workflow = await services.workflows.get(tenantId, projectId, workflowId);
  if (!workflow || workflow.type !== 'workflow') throw new NotFound(`Workflow '${workflowId}' was not found.`);
  if (workflow.status !== 'Failed') throw new Conflict(`Only a failed workflow can be retried; '${workflowId}' is ${workflow.status}.`, 'WorkflowNotRetryable');
  if (!RETRYABLE_KINDS.has(workflow.kind)) throw new Conflict(`${workflow.kind} workflows are not retried; start a new one.`, 'WorkflowNotRetryable');
  await checkStartPolicies(services, client, workflow, change);

  const plan = toReusePlan(await services.workflows.steps(tenantId, projectId, workflowId));
  const retry = (workflow.retries ?? 0) + 1;
  const instanceId = `${workflowId}-retry${retry}`;
  const { _etag, finishedAt: _finished, failure: _failure, summary: _summary, ...rest } = workflow;
  const next: WorkflowDocument = { ...rest, status: 'Running', instanceId, retries: retry };
  const event = changeEvent('WorkflowRetried.v1', { workflowId, kind: workflow.kind, retry, instanceId, reusedSteps: reusedStepNames(plan) }, change, { tenantId, projectId, workflowId, subject: `workflows/${workflowId}` });
  // The ETag makes concurrent retries start one instance: the loser gets 409.
  await services.platform.outbox.commit('workflows', key, [{ op: 'replace', document: next, ifMatch: _etag }], [event]);
  await updateRunning(services, tenantId, (ids) => (ids.includes(workflowId) ? ids : [...ids, workflowId]));
  const entitlements = await services.entitlements(tenantId);
  // The new instance runs in the workflow's own trace, like its first run and its agents' messages.
  await runInTraceId(workflow.traceId, () =>
    client.startNew(workflow.kind, {
      instanceId,
      input: { tenantId, projectId, workflowId, traceId: workflow.traceId, blueprintVersion: workflow.blueprintVersion, ...timeouts(services), tokenBudget: entitlements.monthlyTokenBudget, policyDecisionId: workflow.policyDecisionId, reuse: plan },
    }),
  );
  return next;
}

async function checkStartPolicies(services: WorkflowServices, client: DurableClient, workflow: WorkflowDocument, change: ChangeContext & { principal: { id: string } }): Promise<void> {
  const { tenantId, projectId } = workflow;
  const [entitlements, budget] = await Promise.all([services.entitlements(tenantId), services.budgetStatus(tenantId, projectId)]);
  const running = await countedRunning(services, client, tenantId, entitlements.maxConcurrentWorkflows);
  const version = await findBlueprintVersion(services.platform.store, tenantId, projectId, workflow.blueprintVersion);
  const decision = await services.evaluateStart(
    { kind: workflow.kind, blueprintVersion: workflow.blueprintVersion, blueprint: { ...(version.blueprint.spec.edition ? { edition: version.blueprint.spec.edition } : {}) }, entitlements, budget, workflows: { running: running.length }, retry: true },
    { tenantId, projectId, workflowId: workflow.id, principal: change.principal, traceId: change.traceId },
  );
  if (decision.outcome !== 'deny') return;
  const detail = `Policy '${decision.rule}' denies retrying ${workflow.kind}: ${decision.reason}`;
  if (decision.rule.includes('budget') || decision.rule.includes('concurrent')) throw new QuotaExceeded(detail, { code: 'PolicyDenied' });
  throw new Forbidden(detail, 'PolicyDenied');
}
