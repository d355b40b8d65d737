import * as df from 'durable-functions';
import { z } from 'zod';
import { NotFound } from '../platform/http/errors';
import { defineRoute } from '../platform/http/route';
import { projectParams } from '../platform/http/tenantParams';
import { requireProject } from '../projects/lookup';
import type { ReleaseInput } from '../../orchestrations/release';
import { mergePullRequest, pullRequestDiff, requirePullRequest, type PullRequestRecord } from './pullRequestService';
import { createRelease, requireRelease } from './releaseService';
import { promotionInstanceId, requestPromotion } from './promotionService';
import { createReleaseBody, environmentParams, promoteReleaseBody, pageQuery, promotionView, releaseParams, releaseView, type PromotionDocument, type ReleaseDocument } from './schemas';
import { getDeliveryServices } from './services';

const READERS = ['TenantAdmin', 'Architect', 'Developer', 'ReleaseManager', 'Approver', 'Viewer'] as const;
const RELEASERS = ['TenantAdmin', 'ReleaseManager'] as const;
const MERGERS = ['TenantAdmin', 'ReleaseManager', 'Architect'] as const;
const prParams = projectParams.extend({ pullRequestId: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.:-]{0,199}$/, 'a pull request id') });

const toPromotionView = ({ _etag, id: _id, type: _type, tenantId: _t, projectId: _p, ...rest }: PromotionDocument & { _etag?: string }) => rest as z.infer<typeof promotionView>;
const toReleaseView = (release: ReleaseDocument, promotions?: PromotionDocument[]): z.infer<typeof releaseView> => {
  const { releaseId, version, status, environment, failure, manifest, traceId, createdBy, createdAt, finishedAt } = release;
  return { releaseId, version, status, ...(environment ? { environment } : {}), ...(failure ? { failure } : {}), manifest, traceId, createdBy, createdAt, ...(finishedAt ? { finishedAt } : {}), ...(promotions ? { promotions: promotions.map(toPromotionView) } : {}) };
};
const toPullRequestView = ({ _etag, type: _type, tenantId: _t, ...pr }: PullRequestRecord & { _etag?: string }) => pr;

export const archiveRoute = defineRoute({
  method: 'GET',
  path: 'tenants/{tenantId}/projects/{projectId}/repository/archive',
  summary: 'Download the project repository at a ref as tar.gz or zip',
  description: '`ref`: a branch, tag or commit id (default main). The files sit under a folder named after the project, as `git archive --prefix`.',
  tags: ['delivery'],
  auth: { roles: READERS },
  params: projectParams,
  query: z.object({ ref: z.string().min(1).max(200).default('main'), format: z.enum(['tar.gz', 'zip']).default('tar.gz') }),
  responses: { 200: 'The archive (application/gzip or application/zip)' },
  handler: async ({ params, query }) => {
    const services = await getDeliveryServices();
    await requireProject(services.platform.store, params.tenantId, params.projectId);
    const repository = services.repository(params.tenantId, params.projectId);
    const archive = await repository.archive(query.ref, query.format, params.projectId).catch((error: { code?: string }) => {
      if (error.code === 'UnknownRef' || error.code === 'ENOENT') throw new NotFound(`Ref '${query.ref}' does not exist in the project repository.`);
      throw error;
    });
    const file = `${params.projectId}-${archive.commit.slice(0, 12)}.${query.format}`;
    return { body: archive.content, headers: { 'content-type': query.format === 'zip' ? 'application/zip' : 'application/gzip', 'content-disposition': `attachment; filename="${file}"`, etag: `"${archive.commit}-${query.format}"` } };
  },
});

export const branchesRoute = defineRoute({
  method: 'GET',
  path: 'tenants/{tenantId}/projects/{projectId}/repository/branches',
  summary: 'Branches of the project repository with their tip commits',
  tags: ['delivery'],
  auth: { roles: READERS },
  params: projectParams,
  responses: { 200: z.object({ items: z.array(z.object({ name: z.string(), commit: z.string() })) }) },
  handler: async ({ params }) => {
    const services = await getDeliveryServices();
    await requireProject(services.platform.store, params.tenantId, params.projectId);
    const repository = services.repository(params.tenantId, params.projectId);
    const names = await repository.listBranches();
    return { body: { items: await Promise.all(names.map(async (name) => ({ name, commit: await repository.resolve(name) }))) } };
  },
});

export const getPullRequestRoute = defineRoute({
  method: 'GET',
  path: 'tenants/{tenantId}/projects/{projectId}/pull-requests/{pullRequestId}',
  summary: 'A pull request: branches, commit, status, who merged it',
  tags: ['delivery'],
  auth: { roles: READERS },
  params: prParams,
  responses: { 200: z.record(z.string(), z.unknown()) },
  handler: async ({ params }) => ({ body: toPullRequestView(await requirePullRequest(await getDeliveryServices(), params, params.pullRequestId)) }),
});

export const pullRequestDiffRoute = defineRoute({
  method: 'GET',
  path: 'tenants/{tenantId}/projects/{projectId}/pull-requests/{pullRequestId}/diff',
  summary: 'What a pull request changes: files with status, line counts and unified patches',
  tags: ['delivery'],
  auth: { roles: READERS },
  params: prParams,
  responses: { 200: z.object({ base: z.string(), head: z.string(), files: z.array(z.object({ path: z.string(), status: z.enum(['added', 'modified', 'deleted']), additions: z.int(), deletions: z.int(), patch: z.string().optional() })) }) },
  handler: async ({ params }) => ({ body: await pullRequestDiff(await getDeliveryServices(), params, params.pullRequestId) }),
});

export const mergePullRequestRoute = defineRoute({
  method: 'POST',
  path: 'tenants/{tenantId}/projects/{projectId}/pull-requests/{pullRequestId}/merge',
  summary: 'Merge a pull request into its target branch',
  description: '`method`: `merge-commit` (default) or `fast-forward`. Conflicting files, or a fast-forward that is not possible, answer 409 with code `MergeConflict`; a merged pull request answers 409 `PullRequestClosed`.',
  tags: ['delivery'],
  auth: { roles: MERGERS },
  params: prParams,
  body: z.strictObject({ method: z.enum(['fast-forward', 'merge-commit']).default('merge-commit') }),
  responses: { 200: z.record(z.string(), z.unknown()) },
  handler: async ({ params, body, principal, traceId }) => ({ body: toPullRequestView(await mergePullRequest(await getDeliveryServices(), params, params.pullRequestId, body.method, { principal, traceId })) }),
});

export const createReleaseRoute = defineRoute({
  method: 'POST',
  path: 'tenants/{tenantId}/projects/{projectId}/releases',
  summary: 'Release a commit (default main) through the environments (202 with the release URL)',
  description: 'Builds the manifest from the commit and its blueprint version, then the Release orchestration promotes it environment by environment: policy, approval where asked, deploy, health check, smoke call; a failed check rolls back.',
  tags: ['delivery'],
  auth: { roles: RELEASERS },
  params: projectParams,
  body: createReleaseBody,
  extraInputs: [df.input.durableClient()],
  responses: { 202: releaseView },
  handler: async ({ params, body, principal, traceId, request, context }) => {
    const services = await getDeliveryServices();
    const release = await createRelease(services, params, body, { principal, traceId });
    const input: ReleaseInput = { ...params, releaseId: release.releaseId, traceId, approvalTimeoutMs: services.platform.config.FACTORY_APPROVAL_TIMEOUT_SECONDS * 1000 };
    await df.getClient(context).startNew('Release', { instanceId: release.instanceId, input });
    const location = new URL(`/api/tenants/${params.tenantId}/projects/${params.projectId}/releases/${release.releaseId}`, request.url).href;
    return { status: 202, headers: { location, 'retry-after': '2' }, body: toReleaseView(release) };
  },
});

export const promoteReleaseRoute = defineRoute({
  method: 'POST',
  path: 'tenants/{tenantId}/projects/{projectId}/releases/{releaseId}/promotions',
  summary: 'Promote a finished release to its next environment (202 with the release URL)',
  description: 'Like promoting freight to the next stage in Kargo: the environment must come right after the furthest one the release reached (the first one if none). The release runs again for that environment only: policy (recorded), approval where asked, deploy, health check, smoke call, promote or roll back; `PromotionRequested.v1`. 409 `ReleaseRunning` while it runs, `AlreadyPromoted` when it has a promotion there, `PromotionOutOfOrder` for any other environment.',
  tags: ['delivery'],
  auth: { roles: RELEASERS },
  params: releaseParams,
  body: promoteReleaseBody,
  extraInputs: [df.input.durableClient()],
  responses: { 202: releaseView },
  handler: async ({ params, body, principal, traceId, request, context }) => {
    const services = await getDeliveryServices();
    const release = await requestPromotion(services, params, params.releaseId, body.environment, { principal, traceId });
    const input: ReleaseInput = { tenantId: params.tenantId, projectId: params.projectId, releaseId: release.releaseId, traceId: release.traceId, approvalTimeoutMs: services.platform.config.FACTORY_APPROVAL_TIMEOUT_SECONDS * 1000, only: body.environment };
    await df.getClient(context).startNew('Release', { instanceId: promotionInstanceId(release, body.environment), input });
    const location = new URL(`/api/tenants/${params.tenantId}/projects/${params.projectId}/releases/${release.releaseId}`, request.url).href;
    return { status: 202, headers: { location, 'retry-after': '2' }, body: toReleaseView(release) };
  },
});

export const listReleasesRoute = defineRoute({
  method: 'GET',
  path: 'tenants/{tenantId}/projects/{projectId}/releases',
  summary: 'Releases of a project, newest first',
  tags: ['delivery'],
  auth: { roles: READERS },
  params: projectParams,
  query: pageQuery,
  responses: { 200: z.object({ items: z.array(releaseView), continuation: z.string().optional() }) },
  handler: async ({ params, query }) => {
    const services = await getDeliveryServices();
    await requireProject(services.platform.store, params.tenantId, params.projectId);
    const page = await services.store.releases(params, query);
    return { body: { items: page.items.map((r) => toReleaseView(r)), ...(page.continuation ? { continuation: page.continuation } : {}) } };
  },
});

export const getReleaseRoute = defineRoute({
  method: 'GET',
  path: 'tenants/{tenantId}/projects/{projectId}/releases/{releaseId}',
  summary: 'A release with its promotions (phase, steps with output, approval, times)',
  tags: ['delivery'],
  auth: { roles: READERS },
  params: releaseParams,
  responses: { 200: releaseView },
  handler: async ({ params }) => {
    const services = await getDeliveryServices();
    const release = await requireRelease(services, params, params.releaseId);
    const promotions = await services.store.promotionsOf(params, params.releaseId);
    const order: string[] = release.manifest.environments.map((e) => e.name);
    return { body: toReleaseView(release, promotions.items.sort((a, b) => order.indexOf(a.environment) - order.indexOf(b.environment))) };
  },
});

export const listPromotionsRoute = defineRoute({
  method: 'GET',
  path: 'tenants/{tenantId}/projects/{projectId}/environments/{environment}/promotions',
  summary: 'Promotions into an environment, newest first',
  tags: ['delivery'],
  auth: { roles: READERS },
  params: environmentParams,
  query: pageQuery,
  responses: { 200: z.object({ items: z.array(promotionView), continuation: z.string().optional() }) },
  handler: async ({ params, query }) => {
    const services = await getDeliveryServices();
    await requireProject(services.platform.store, params.tenantId, params.projectId);
    const page = await services.store.promotionsIn(params, params.environment, query);
    return { body: { items: page.items.map(toPromotionView), ...(page.continuation ? { continuation: page.continuation } : {}) } };
  },
});

export const deliveryRoutes = [archiveRoute, branchesRoute, getPullRequestRoute, pullRequestDiffRoute, mergePullRequestRoute, createReleaseRoute, promoteReleaseRoute, listReleasesRoute, getReleaseRoute, listPromotionsRoute];
