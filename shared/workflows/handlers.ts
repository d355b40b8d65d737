import * as df from 'durable-functions';
import { z } from 'zod';
import { NotFound } from '../platform/http/errors';
import { defineRoute } from '../platform/http/route';
import { idSchema, projectParams } from '../platform/http/tenantParams';
import { requireProject } from '../projects/lookup';
import { cancelWorkflow, startWorkflow } from './lifecycle';
import { reconcileWorkflow } from './reconcile';
import { retryWorkflow } from './retry';
import { agentTaskSchema, PullRequestDocument, startWorkflowBody, StepDocument, WorkflowDocument, workflowKinds, workflowView } from './schemas';
import { getWorkflowServices } from './services';

const READERS = ['TenantAdmin', 'Architect', 'Developer', 'ReleaseManager', 'Approver', 'Viewer', 'Agent'] as const;
const STARTERS = ['TenantAdmin', 'Architect', 'ReleaseManager'] as const;
const workflowParams = projectParams.extend({ workflowId: idSchema });

function toView(workflow: WorkflowDocument, steps?: StepDocument[], runtimeStatus?: string): z.infer<typeof workflowView> {
  return {
    workflowId: workflow.id,
    projectId: workflow.projectId,
    kind: workflow.kind,
    status: workflow.status,
    ...(runtimeStatus ? { runtimeStatus } : {}),
    blueprintVersion: workflow.blueprintVersion,
    traceId: workflow.traceId,
    requestedBy: workflow.requestedBy,
    startedAt: workflow.startedAt,
    ...(workflow.finishedAt ? { finishedAt: workflow.finishedAt } : {}),
    ...(workflow.failure ? { failure: workflow.failure } : {}),
    ...(workflow.summary ? { summary: workflow.summary } : {}),
    ...(workflow.retries ? { retries: workflow.retries } : {}),
    ...(steps
      ? {
          timeline: steps.map((s) => ({
            step: s.step,
            ...(s.module ? { module: s.module } : {}),
            ...(s.agent ? { agent: s.agent } : {}),
            ...(s.skill ? { skill: s.skill } : {}),
            attempts: s.attempts,
            status: s.status,
            startedAt: s.startedAt,
            ...(s.finishedAt ? { finishedAt: s.finishedAt } : {}),
            artifacts: s.artifacts,
            ...(s.failure ? { failure: s.failure } : {}),
          })),
        }
      : {}),
  };
}

const statusUrl = (request: { url: string }, tenantId: string, projectId: string, workflowId: string) =>
  new URL(`/api/tenants/${tenantId}/projects/${projectId}/workflows/${workflowId}`, request.url).href;

export const startWorkflowRoute = defineRoute({
  method: 'POST',
  path: 'tenants/{tenantId}/projects/{projectId}/workflows',
  summary: 'Start a coordinator workflow (202 with the status URL)',
  description: 'Evaluates the workflow-start policies first; a denied start answers 403/429 with code PolicyDenied.',
  tags: ['workflows'],
  auth: { roles: STARTERS },
  params: projectParams,
  body: startWorkflowBody,
  extraInputs: [df.input.durableClient()],
  responses: { 202: workflowView },
  handler: async ({ params, body, principal, traceId, request, context }) => {
    const services = await getWorkflowServices();
    const workflow = await startWorkflow(services, df.getClient(context), { ...params, kind: body.kind, blueprintVersion: body.blueprintVersion, fromVersion: body.fromVersion }, { principal, traceId });
    const location = statusUrl(request, params.tenantId, params.projectId, workflow.id);
    return { status: 202, headers: { location, 'retry-after': '2' }, body: toView(workflow) };
  },
});

export const listWorkflowsRoute = defineRoute({
  method: 'GET',
  path: 'tenants/{tenantId}/projects/{projectId}/workflows',
  summary: 'List the workflows of a project, newest first',
  tags: ['workflows'],
  auth: { roles: READERS },
  params: projectParams,
  query: z.object({
    limit: z.coerce.number().int().min(1).max(100).default(25),
    continuation: z.string().min(1).optional(),
    kind: z.enum(workflowKinds).optional(),
    status: z.enum(['Running', 'Completed', 'Failed', 'Rejected', 'Cancelled']).optional(),
    since: z.iso.datetime({ offset: true }).transform((at) => new Date(at).toISOString()).optional().describe('Only workflows started at or after this time'),
  }),
  extraInputs: [df.input.durableClient()],
  responses: { 200: z.object({ items: z.array(workflowView), continuation: z.string().optional() }) },
  handler: async ({ params, query, context }) => {
    const services = await getWorkflowServices();
    await requireProject(services.platform.store, params.tenantId, params.projectId);
    const page = await services.workflows.list(params.tenantId, params.projectId, query);
    const client = df.getClient(context);
    const items = await Promise.all(page.items.map((w) => reconcileWorkflow(services, client, w)));
    return { body: { items: items.map((w) => toView(w)), continuation: page.continuation } };
  },
});

export const getWorkflowRoute = defineRoute({
  method: 'GET',
  path: 'tenants/{tenantId}/projects/{projectId}/workflows/{workflowId}',
  summary: 'A workflow with its step timeline (step, agent, skill, attempts, times, artifacts, failure)',
  tags: ['workflows'],
  auth: { roles: READERS },
  params: workflowParams,
  extraInputs: [df.input.durableClient()],
  responses: { 200: workflowView },
  handler: async ({ params, context }) => {
    const services = await getWorkflowServices();
    const stored = await services.workflows.get(params.tenantId, params.projectId, params.workflowId);
    if (!stored || stored.type !== 'workflow') throw new NotFound(`Workflow '${params.workflowId}' was not found.`);
    const workflow = await reconcileWorkflow(services, df.getClient(context), stored);
    const steps = await services.workflows.steps(params.tenantId, params.projectId, params.workflowId);
    let runtimeStatus: string | undefined;
    try {
      runtimeStatus = (await df.getClient(context).getStatus(workflow.instanceId)).runtimeStatus;
    } catch {
      runtimeStatus = undefined;
    }
    return { body: toView(workflow, steps, runtimeStatus) };
  },
});

export const cancelWorkflowRoute = defineRoute({
  method: 'POST',
  path: 'tenants/{tenantId}/projects/{projectId}/workflows/{workflowId}/cancel',
  summary: 'Cancel a running workflow (terminate, then cancel its pending approvals)',
  tags: ['workflows'],
  auth: { roles: STARTERS },
  params: workflowParams,
  body: z.object({ reason: z.string().min(1).max(500).default('cancelled') }).default({ reason: 'cancelled' }).describe('Optional: no body cancels with reason "cancelled"'),
  extraInputs: [df.input.durableClient()],
  responses: { 200: workflowView },
  handler: async ({ params, body, principal, traceId, context }) => {
    const services = await getWorkflowServices();
    const workflow = await cancelWorkflow(services, df.getClient(context), params, params.workflowId, { principal, traceId }, body.reason);
    return { body: toView(workflow) };
  },
});

export const retryWorkflowRoute = defineRoute({
  method: 'POST',
  path: 'tenants/{tenantId}/projects/{projectId}/workflows/{workflowId}/retry',
  summary: 'Retry a failed workflow from its failed steps, reusing the artifacts of the steps that succeeded',
  description:
    'Starts a new orchestration instance (`<workflowId>-retry<n>`) for the same workflow; succeeded agent steps, an approved gate and modules whose validation passed are taken over. 409 (code `WorkflowNotRetryable`) unless it is a failed ProjectBootstrap; the workflow-start policies apply again.',
  tags: ['workflows'],
  auth: { roles: STARTERS },
  params: workflowParams,
  extraInputs: [df.input.durableClient()],
  responses: { 202: workflowView },
  handler: async ({ params, principal, traceId, request, context }) => {
    const services = await getWorkflowServices();
    const workflow = await retryWorkflow(services, df.getClient(context), params, params.workflowId, { principal, traceId });
    return { status: 202, headers: { location: statusUrl(request, params.tenantId, params.projectId, workflow.id), 'retry-after': '2' }, body: toView(workflow) };
  },
});

export const getAgentTaskRoute = defineRoute({
  method: 'GET',
  path: 'tenants/{tenantId}/projects/{projectId}/agent-tasks/{taskId}',
  summary: 'An agent task with its status, deliveries and result',
  tags: ['agents'],
  auth: { roles: READERS },
  params: projectParams.extend({ taskId: z.string().min(1).max(300) }),
  responses: { 200: z.object({ task: agentTaskSchema, status: z.string(), deliveries: z.number().int(), result: z.unknown().optional(), updatedAt: z.string() }) },
  handler: async ({ params }) => {
    const services = await getWorkflowServices();
    const doc = await services.workflows.getTask(params.tenantId, params.projectId, params.taskId);
    if (!doc) throw new NotFound(`Agent task '${params.taskId}' was not found.`);
    return { body: { task: doc.task, status: doc.status, deliveries: doc.deliveries, ...(doc.result ? { result: doc.result } : {}), updatedAt: doc.updatedAt } };
  },
});

export const listPullRequestsRoute = defineRoute({
  method: 'GET',
  path: 'tenants/{tenantId}/projects/{projectId}/pull-requests',
  summary: 'Pull requests the sprints opened (branch, commit, touched modules), newest first',
  tags: ['workflows'],
  auth: { roles: READERS },
  params: projectParams,
  query: z.object({ limit: z.coerce.number().int().min(1).max(100).default(25), continuation: z.string().min(1).optional() }),
  responses: { 200: z.object({ items: z.array(z.record(z.string(), z.unknown())), continuation: z.string().optional() }) },
  handler: async ({ params, query }) => {
    const services = await getWorkflowServices();
    await requireProject(services.platform.store, params.tenantId, params.projectId);
    const page = await services.platform.store.query<PullRequestDocument>('workflows', params, {
      where: [{ field: 'type', op: '=', value: 'pullRequest' }],
      orderBy: { field: 'createdAt', direction: 'desc' },
      ...query,
    });
    return { body: { items: page.items.map(({ _etag, type: _type, tenantId: _tenant, ...pr }) => pr), continuation: page.continuation } };
  },
});

export const workflowRoutes = [startWorkflowRoute, listWorkflowsRoute, getWorkflowRoute, cancelWorkflowRoute, retryWorkflowRoute, getAgentTaskRoute, listPullRequestsRoute];
