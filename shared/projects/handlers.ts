import { getPlatform } from '../platform/composition';
import { TENANT_ROLES } from '../platform/auth/roles';
import { defineRoute } from '../platform/http/route';
import { projectParams, tenantParams } from '../platform/http/tenantParams';
import { TenantService } from '../tenancy/service';
import { newProjectSchema, projectDetailView, projectPage, projectPageQuery, projectView } from './schemas';
import { ProjectService } from './service';

/** The projects service on the process's platform. */
export async function projects(): Promise<ProjectService> {
  const { store, outbox } = await getPlatform();
  return new ProjectService({ store, outbox, tenants: new TenantService({ store, outbox }) });
}

export const createProject = defineRoute({
  method: 'POST',
  path: 'tenants/{tenantId}/projects',
  summary: "Create a project, within the edition's project quota",
  description: 'Answers 409 (code `ProjectExists`) for a taken project id and 429 (code `QuotaExceeded`) when the edition allows no more projects.',
  tags: ['projects'],
  auth: { roles: ['TenantAdmin', 'Architect'] },
  params: tenantParams,
  body: newProjectSchema,
  responses: { 201: projectView },
  handler: async ({ params, body, principal, traceId }) => {
    const project = await (await projects()).create(params.tenantId, body, { principal, traceId });
    return { status: 201, body: project, headers: { location: `/api/tenants/${params.tenantId}/projects/${project.projectId}` } };
  },
});

export const listProjects = defineRoute({
  method: 'GET',
  path: 'tenants/{tenantId}/projects',
  summary: 'List projects, oldest first',
  tags: ['projects'],
  auth: { roles: TENANT_ROLES },
  params: tenantParams,
  query: projectPageQuery,
  responses: { 200: projectPage },
  handler: async ({ params, query }) => ({ body: await (await projects()).list(params.tenantId, query) }),
});

export const getProject = defineRoute({
  method: 'GET',
  path: 'tenants/{tenantId}/projects/{projectId}',
  summary: 'Read a project with the modules and dependencies of its latest valid blueprint',
  tags: ['projects'],
  auth: { roles: TENANT_ROLES },
  params: projectParams,
  responses: { 200: projectDetailView },
  handler: async ({ params }) => ({ body: await (await projects()).get(params.tenantId, params.projectId) }),
});

export const projectRoutes = [createProject, listProjects, getProject];
