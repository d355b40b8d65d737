import type { Role } from '../platform/auth/roles';
import { getPlatform, type Platform } from '../platform/composition';
import { Validation } from '../platform/http/errors';
import { ifMatchOf, toEtag } from '../platform/http/preconditions';
import { defineRoute } from '../platform/http/route';
import { projectParams } from '../platform/http/tenantParams';
import {
  artifactListQuerySchema,
  artifactPageSchema,
  artifactParamsSchema,
  artifactSchema,
  lineageQuerySchema,
  lineageSchema,
  newArtifactBodySchema,
  validationUpdateSchema,
  versionsQuerySchema,
} from './schemas';
import { TenantService } from '../tenancy/service';
import { ArtifactService, MAX_ARTIFACT_BYTES } from './service';

const READERS: readonly Role[] = ['TenantAdmin', 'Architect', 'Developer', 'ReleaseManager', 'Approver', 'Viewer', 'Agent'];
const WRITERS: readonly Role[] = ['Agent', 'Developer', 'Architect', 'TenantAdmin'];
const VALIDATORS: readonly Role[] = ['Agent', 'Developer'];
const TAGS = ['artifacts'];
const BASE = 'tenants/{tenantId}/projects/{projectId}/artifacts';

const services = new WeakMap<Platform, ArtifactService>();

/** The process's artifact service, over the platform's store, blobs and outbox. */
export async function getArtifactService(): Promise<ArtifactService> {
  const platform = await getPlatform();
  let service = services.get(platform);
  if (!service) {
    const tenants = new TenantService({ store: platform.store, outbox: platform.outbox });
    const maxArtifacts = async (tenantId: string) => {
      const entitlements = await tenants.entitlements(tenantId);
      return { limit: entitlements.maxArtifactsPerProject, edition: entitlements.edition };
    };
    service = new ArtifactService({ store: platform.store, blobs: platform.blobs, outbox: platform.outbox, maxArtifacts });
    services.set(platform, service);
  }
  return service;
}

/** Service validation errors name fields of the stored artifact; clients sent them under `prefix`. */
async function underPath<T>(prefix: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (!(error instanceof Validation)) throw error;
    throw new Validation(error.errors.map((e) => ({ ...e, path: e.path ? `${prefix}.${e.path}` : prefix })), error.message, error.code);
  }
}

export const storeArtifact = defineRoute({
  method: 'POST',
  path: BASE,
  summary: 'Store an artifact: a new version of its (module, kind, name), or the existing artifact when the content is already there',
  description: 'Content is utf-8 text, or base64 with `encoding: base64`. 201 when stored, 200 when the same content was already stored (nothing is duplicated).',
  tags: TAGS,
  auth: { roles: WRITERS },
  params: projectParams,
  body: newArtifactBodySchema,
  maxBodyBytes: Math.ceil((MAX_ARTIFACT_BYTES * 4) / 3) + 64 * 1024,
  responses: { 201: artifactSchema, 200: artifactSchema, 429: "The edition's artifacts per project are used up (`ArtifactQuotaExceeded`; storing content that is already there still answers 200)" },
  handler: async ({ params, body, principal, traceId }) => {
    const { content, encoding, contentType, inputs, ...metadata } = body;
    const bytes = Buffer.from(content, encoding === 'base64' ? 'base64' : 'utf8');
    const { artifact, created } = await underPath('body', async () =>
      (await getArtifactService()).store(
        { ...params, ...metadata, inputs, content: bytes, contentType: contentType ?? (encoding === 'base64' ? 'application/octet-stream' : 'text/plain; charset=utf-8') },
        { principal, traceId },
      ),
    );
    const location = `/api/tenants/${params.tenantId}/projects/${params.projectId}/artifacts/${artifact.id}`;
    return { status: created ? 201 : 200, body: artifact, headers: { location } };
  },
});

export const listArtifacts = defineRoute({
  method: 'GET',
  path: BASE,
  summary: "List a project's artifacts, oldest first, optionally by module, kind or workflow",
  tags: TAGS,
  auth: { roles: READERS },
  params: projectParams,
  query: artifactListQuerySchema,
  responses: { 200: artifactPageSchema },
  handler: async ({ params, query }) => {
    const { limit, continuation, ...filters } = query;
    return { body: await underPath('query', async () => (await getArtifactService()).list(params, filters, { limit, continuation })) };
  },
});

export const getArtifact = defineRoute({
  method: 'GET',
  path: `${BASE}/{artifactId}`,
  summary: "An artifact's metadata",
  tags: TAGS,
  auth: { roles: READERS },
  params: artifactParamsSchema,
  responses: { 200: artifactSchema },
  handler: async ({ params }) => {
    const { artifact, etag } = await (await getArtifactService()).getVersioned(params, params.artifactId);
    return { body: artifact, headers: { etag: toEtag(etag) } };
  },
});

export const getArtifactContent = defineRoute({
  method: 'GET',
  path: `${BASE}/{artifactId}/content`,
  summary: "An artifact's content, as stored, with its content type",
  tags: TAGS,
  auth: { roles: READERS },
  params: artifactParamsSchema,
  responses: { 200: 'The content bytes; `content-type` is the artifact\'s, `etag` its content hash' },
  handler: async ({ params }) => {
    const { artifact, content } = await (await getArtifactService()).content(params, params.artifactId);
    return {
      body: content,
      headers: { 'content-type': artifact.contentType, etag: `"${artifact.contentHash}"`, 'cache-control': 'private, max-age=31536000, immutable' },
    };
  },
});

export const getArtifactLineage = defineRoute({
  method: 'GET',
  path: `${BASE}/{artifactId}/lineage`,
  summary: 'The artifacts an artifact was derived from, transitively (edges run input → derived artifact)',
  tags: TAGS,
  auth: { roles: READERS },
  params: artifactParamsSchema,
  query: lineageQuerySchema,
  responses: { 200: lineageSchema },
  handler: async ({ params, query }) => ({ body: await (await getArtifactService()).lineage(params, params.artifactId, query.depth) }),
});

export const listArtifactVersions = defineRoute({
  method: 'GET',
  path: `${BASE}/{artifactId}/versions`,
  summary: 'Every version of the artifact\'s (module, kind, name), first version first',
  tags: TAGS,
  auth: { roles: READERS },
  params: artifactParamsSchema,
  query: versionsQuerySchema,
  responses: { 200: artifactPageSchema },
  handler: async ({ params, query }) => ({
    body: await underPath('query', async () => (await getArtifactService()).versions(params, params.artifactId, query)),
  }),
});

export const recordArtifactValidation = defineRoute({
  method: 'PATCH',
  path: `${BASE}/{artifactId}/validation`,
  summary: "Record a validator's verdict on an artifact (pending, passed or failed, with findings)",
  description: 'With `If-Match` (the `ETag` of `GET .../artifacts/{id}`) a stale version answers 412 (code `PreconditionFailed`).',
  tags: TAGS,
  auth: { roles: VALIDATORS },
  params: artifactParamsSchema,
  body: validationUpdateSchema,
  responses: { 200: artifactSchema },
  handler: async ({ params, body, principal, traceId, request }) => ({
    body: await (await getArtifactService()).recordValidation(params, params.artifactId, body, { principal, traceId }, ifMatchOf(request)),
  }),
});

export const artifactRoutes = [storeArtifact, listArtifacts, getArtifact, getArtifactContent, getArtifactLineage, listArtifactVersions, recordArtifactValidation];
