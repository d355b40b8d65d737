import * as df from 'durable-functions';
import { z } from 'zod';
import type { MilestoneInput } from '../../orchestrations/milestone';
import { defineRoute } from '../platform/http/route';
import { projectParams } from '../platform/http/tenantParams';
import { createMilestone, milestoneInstanceId, milestoneView, newMilestoneBody, requireMilestone, toMilestoneView } from './milestoneService';
import { getDeliveryServices } from './services';

export const createMilestoneRoute = defineRoute({
  method: 'POST',
  path: 'tenants/{tenantId}/projects/{projectId}/milestones',
  summary: 'Group workflows into a milestone: quality gate → approval → release (202)',
  description: 'The MilestoneLifecycle orchestration checks that every workflow completed with its modules validated, that no drift finding is open and that the budget holds; then a ReleaseManager approves and the Release of `ref` starts.',
  tags: ['delivery'],
  auth: { roles: ['TenantAdmin', 'ReleaseManager'] },
  params: projectParams,
  body: newMilestoneBody,
  extraInputs: [df.input.durableClient()],
  responses: { 202: milestoneView },
  handler: async ({ params, body, principal, traceId, request, context }) => {
    const services = await getDeliveryServices();
    const milestone = await createMilestone(services, params, body, { principal, traceId });
    const input: MilestoneInput = { ...params, milestoneId: milestone.milestoneId, name: milestone.name, traceId, approvalTimeoutMs: services.platform.config.FACTORY_APPROVAL_TIMEOUT_SECONDS * 1000 };
    await df.getClient(context).startNew('MilestoneLifecycle', { instanceId: milestoneInstanceId(params, milestone.milestoneId), input });
    const location = new URL(`/api/tenants/${params.tenantId}/projects/${params.projectId}/milestones/${milestone.milestoneId}`, request.url).href;
    return { status: 202, headers: { location }, body: toMilestoneView(milestone) };
  },
});

export const getMilestoneRoute = defineRoute({
  method: 'GET',
  path: 'tenants/{tenantId}/projects/{projectId}/milestones/{milestoneId}',
  summary: 'A milestone: status, quality gate checks, its release',
  tags: ['delivery'],
  auth: { roles: ['TenantAdmin', 'Architect', 'Developer', 'ReleaseManager', 'Approver', 'Viewer'] },
  params: projectParams.extend({ milestoneId: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_-]{0,99}$/, 'a milestone id') }),
  responses: { 200: milestoneView },
  handler: async ({ params }) => ({ body: toMilestoneView(await requireMilestone(await getDeliveryServices(), params, params.milestoneId)) }),
});

export const milestoneRoutes = [createMilestoneRoute, getMilestoneRoute];
