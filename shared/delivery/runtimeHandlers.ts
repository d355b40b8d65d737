import * as df from 'durable-functions';
import { z } from 'zod';
import { defineRoute } from '../platform/http/route';
import { projectParams } from '../platform/http/tenantParams';
import { requireProject } from '../projects/lookup';
import { stopEnvironment } from './deploymentService';
import { scanEnvironment } from './driftService';
import { environmentOf, putEnvironment } from './environmentService';
import { startRemediation } from './remediationStarter';
import { deploymentView, driftFindingView, environmentBody, environmentNameSchema, environmentParams, environmentView, liveModuleView, pageQuery, type DriftFindingDocument, type EnvironmentDocument } from './schemas';
import { getDeliveryServices, type DeliveryServices } from './services';

const READERS = ['TenantAdmin', 'Architect', 'Developer', 'ReleaseManager', 'Approver', 'Viewer'] as const;
const OPERATORS = ['TenantAdmin', 'ReleaseManager'] as const;

const strip = <T extends object>(doc: T) => {
  const { _etag, id: _id, type: _type, tenantId: _t, projectId: _p, ...rest } = doc as T & { _etag?: string; id?: string; type?: string; tenantId?: string; projectId?: string };
  return rest;
};

async function toEnvironmentView(services: DeliveryServices, key: { tenantId: string; projectId: string }, environment: EnvironmentDocument, order: number, withLive: boolean): Promise<z.infer<typeof environmentView>> {
  const desired = await services.store.desired(key, environment.name);
  const live = withLive ? await services.runtime.live({ ...key, environment: environment.name }) : undefined;
  return {
    name: environment.name as 'dev',
    order,
    config: environment.config,
    secrets: environment.secrets,
    selfHeal: environment.selfHeal,
    replicas: environment.replicas,
    provider: services.runtime.name,
    ...(desired ? { desired: { releaseId: desired.releaseId, commit: desired.commit, modules: desired.modules.map((m) => ({ name: m.name, version: m.version, replicas: m.replicas, configHash: m.configHash })), ...(desired.stoppedAt ? { stoppedAt: desired.stoppedAt } : {}) } } : {}),
    ...(live ? { live } : {}),
  };
}

export const listEnvironmentsRoute = defineRoute({
  method: 'GET',
  path: 'tenants/{tenantId}/projects/{projectId}/environments',
  summary: 'The environments of a project in promotion order, with bindings and desired state',
  tags: ['runtime'],
  auth: { roles: READERS },
  params: projectParams,
  responses: { 200: z.object({ items: z.array(environmentView) }) },
  handler: async ({ params }) => {
    const services = await getDeliveryServices();
    const project = await requireProject(services.platform.store, params.tenantId, params.projectId);
    const items = await Promise.all(project.environments.map(async (name, i) => toEnvironmentView(services, params, await environmentOf(services, params, name), i + 1, false)));
    return { body: { items } };
  },
});

export const getEnvironmentRoute = defineRoute({
  method: 'GET',
  path: 'tenants/{tenantId}/projects/{projectId}/environments/{environment}',
  summary: 'An environment: bindings, desired state, and what really runs (where each service answers)',
  description: '`live` comes from the runtime provider: per module the replicas with pid, port, URL, readiness, version and configuration hash.',
  tags: ['runtime'],
  auth: { roles: READERS },
  params: environmentParams,
  responses: { 200: environmentView },
  handler: async ({ params }) => {
    const services = await getDeliveryServices();
    const project = await requireProject(services.platform.store, params.tenantId, params.projectId);
    const environment = await environmentOf(services, params, params.environment);
    return { body: await toEnvironmentView(services, params, environment, project.environments.indexOf(params.environment) + 1, true) };
  },
});

export const putEnvironmentRoute = defineRoute({
  method: 'PUT',
  path: 'tenants/{tenantId}/projects/{projectId}/environments/{environment}',
  summary: "Set an environment's configuration and secret bindings, self-heal policy and replicas",
  description: 'Takes effect at the next release; a rollback or remediation restores the bindings its last good deployment was applied with. Secret values never pass through the API: locally a binding names a variable of the factory process, in Azure a Key Vault secret.',
  tags: ['runtime'],
  auth: { roles: OPERATORS },
  params: environmentParams,
  body: environmentBody,
  responses: { 200: environmentView },
  handler: async ({ params, body, principal, traceId }) => {
    const services = await getDeliveryServices();
    const project = await requireProject(services.platform.store, params.tenantId, params.projectId);
    const environment = await putEnvironment(services, params, params.environment, body, { principal, traceId });
    return { body: await toEnvironmentView(services, params, environment, project.environments.indexOf(params.environment) + 1, false) };
  },
});

export const listDeploymentsRoute = defineRoute({
  method: 'GET',
  path: 'tenants/{tenantId}/projects/{projectId}/environments/{environment}/deployments',
  summary: 'Deployment history of an environment (optionally one module), newest first',
  tags: ['runtime'],
  auth: { roles: READERS },
  params: environmentParams,
  query: pageQuery.extend({ module: z.string().min(1).max(100).optional() }),
  responses: { 200: z.object({ items: z.array(deploymentView), continuation: z.string().optional() }) },
  handler: async ({ params, query }) => {
    const services = await getDeliveryServices();
    await requireProject(services.platform.store, params.tenantId, params.projectId);
    const page = await services.store.deployments(params, params.environment, { limit: query.limit, continuation: query.continuation }, query.module);
    return { body: { items: page.items.map((d) => strip(d) as z.infer<typeof deploymentView>), ...(page.continuation ? { continuation: page.continuation } : {}) } };
  },
});

export const driftScanRoute = defineRoute({
  method: 'POST',
  path: 'tenants/{tenantId}/projects/{projectId}/environments/{environment}/drift-scans',
  summary: 'Scan an environment for drift now; open findings start a DriftRemediation',
  description: 'Compares the desired state (last good deployment) with the live state. An unchanged drift stays one open finding. The remediation re-applies the desired state at once where the environment self-heals, after a ReleaseManager approval otherwise (production by default).',
  tags: ['runtime'],
  auth: { roles: OPERATORS },
  params: environmentParams,
  extraInputs: [df.input.durableClient()],
  responses: { 200: z.object({ environment: z.string(), scannedAt: z.string(), findings: z.array(z.record(z.string(), z.unknown())), opened: z.array(z.string()), resolved: z.array(z.string()), remediationId: z.string().optional() }) },
  handler: async ({ params, principal, traceId, context }) => {
    const services = await getDeliveryServices();
    await environmentOf(services, params, params.environment);
    const result = await scanEnvironment(services, params, params.environment, { principal, traceId });
    const remediationId = await startRemediation(df.getClient(context), services, params, result, traceId);
    return { body: { ...result, ...(remediationId ? { remediationId } : {}) } };
  },
});

export const listDriftRoute = defineRoute({
  method: 'GET',
  path: 'tenants/{tenantId}/projects/{projectId}/drift',
  summary: 'Drift findings of a project (filter by environment and status), newest first',
  tags: ['runtime'],
  auth: { roles: READERS },
  params: projectParams,
  query: pageQuery.extend({ environment: environmentNameSchema.optional(), status: z.enum(['open', 'resolved']).optional() }),
  responses: { 200: z.object({ items: z.array(driftFindingView), continuation: z.string().optional() }) },
  handler: async ({ params, query }) => {
    const services = await getDeliveryServices();
    await requireProject(services.platform.store, params.tenantId, params.projectId);
    const page = await services.store.findings(params, query.environment, query.status, { limit: query.limit, continuation: query.continuation });
    return { body: { items: page.items.map((f: DriftFindingDocument) => strip(f) as z.infer<typeof driftFindingView>), ...(page.continuation ? { continuation: page.continuation } : {}) } };
  },
});

export const stopEnvironmentRoute = defineRoute({
  method: 'POST',
  path: 'tenants/{tenantId}/projects/{projectId}/environments/{environment}/stop',
  summary: 'Stop every service running in an environment',
  description: 'Nothing is desired in the environment until the next release: drift scans report no missing modules (only replicas running anyway, as unexpected) and self-heal does not restart them. The last good release stays recorded; a release to the environment starts it again.',
  tags: ['runtime'],
  auth: { roles: OPERATORS },
  params: environmentParams,
  responses: { 200: z.object({ stopped: z.int(), live: z.array(liveModuleView) }) },
  handler: async ({ params, principal, traceId }) => {
    const services = await getDeliveryServices();
    await environmentOf(services, params, params.environment);
    const stopped = await stopEnvironment(services, params, params.environment, { principal, traceId });
    return { body: { stopped, live: await services.runtime.live(params) } };
  },
});

export const runtimeRoutes = [listEnvironmentsRoute, getEnvironmentRoute, putEnvironmentRoute, listDeploymentsRoute, driftScanRoute, listDriftRoute, stopEnvironmentRoute];
