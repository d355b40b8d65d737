import * as df from 'durable-functions';
import { z } from 'zod';
import { NotFound } from '../platform/http/errors';
import { defineRoute } from '../platform/http/route';
import { idSchema, projectParams } from '../platform/http/tenantParams';
import { getWorkflowServices } from './services';

const READERS = ['TenantAdmin', 'Architect', 'Developer', 'ReleaseManager', 'Approver', 'Viewer', 'Agent'] as const;

/** One durable history event as the Durable Task framework records it (`EventType`, `Timestamp`, `Name`, ...). */
const historyEvent = z.record(z.string(), z.unknown());

export const workflowHistory = z
  .object({
    workflowId: z.string(),
    instanceId: z.string(),
    runtimeStatus: z.string(),
    createdTime: z.string().optional(),
    lastUpdatedTime: z.string().optional(),
    history: z.array(historyEvent).describe('Oldest first; inputs and outputs left out (they can be large and are in the artifacts)'),
  })
  .meta({ id: 'WorkflowHistory' });

/**
 * `GET .../workflows/{workflowId}/history`: the coordinator's durable history (Durable Functions
 * Monitor and the Temporal UI show the same), read through the durable client so no caller needs
 * the host's system key. 404 when the workflow is not the tenant's or the instance was purged.
 */
export const getWorkflowHistory = defineRoute({
  method: 'GET',
  path: 'tenants/{tenantId}/projects/{projectId}/workflows/{workflowId}/history',
  operationId: 'getWorkflowHistory',
  summary: "A workflow's durable history (events oldest first, without payloads)",
  tags: ['workflows'],
  auth: { roles: READERS },
  params: projectParams.extend({ workflowId: idSchema }),
  extraInputs: [df.input.durableClient()],
  responses: { 200: workflowHistory },
  handler: async ({ params, context }) => {
    const services = await getWorkflowServices();
    const workflow = await services.workflows.get(params.tenantId, params.projectId, params.workflowId);
    if (!workflow || workflow.type !== 'workflow') throw new NotFound(`Workflow '${params.workflowId}' was not found.`);
    const status = await df.getClient(context).getStatus(workflow.instanceId, { showHistory: true, showHistoryOutput: false, showInput: false });
    if (!status?.runtimeStatus) throw new NotFound(`The durable history of workflow '${params.workflowId}' is gone (purged).`);
    return {
      body: {
        workflowId: workflow.id,
        instanceId: workflow.instanceId,
        runtimeStatus: String(status.runtimeStatus),
        ...(status.createdTime ? { createdTime: new Date(status.createdTime).toISOString() } : {}),
        ...(status.lastUpdatedTime ? { lastUpdatedTime: new Date(status.lastUpdatedTime).toISOString() } : {}),
        history: (status.history ?? []).map((event) => event as Record<string, unknown>),
      },
    };
  },
});
