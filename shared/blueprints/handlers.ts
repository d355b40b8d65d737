import type { HttpRequest } from '@azure/functions';
import { stringify as toYaml } from 'yaml';
import { z } from 'zod';
import { TENANT_ROLES } from '../platform/auth/roles';
import { BudgetService } from '../costs/budgetService';
import { getPlatform } from '../platform/composition';
import { PayloadTooLarge, Validation } from '../platform/http/errors';
import { PROBLEM_CONTENT_TYPE, problemType } from '../platform/http/problemDetails';
import { defineRoute, type RouteResult } from '../platform/http/route';
import { projectParams } from '../platform/http/tenantParams';
import { TenantService } from '../tenancy/service';
import type { Problem } from './problems';
import { locateProblems } from './locate';
import { moduleKindSchema } from './schemas';
import { BlueprintService, toBlueprintDocument } from './service';
import type { ProjectKey } from './store';

/**
 * Largest blueprint accepted, in bytes. Below the platform's 1 MiB default because a version
 * document holds the normalized form (larger than the text) and a Cosmos DB item and transactional
 * batch are capped at 2 MB.
 */
export const MAX_BLUEPRINT_BYTES = 512 * 1024;

const SUBMITTERS = ['TenantAdmin', 'Architect'] as const;

const versionNumber = z.coerce.number().int().positive();
const versionParams = projectParams.extend({ version: versionNumber });
const pageQuery = z.object({ limit: z.coerce.number().int().min(1).max(1000).default(100), continuation: z.string().min(1).optional() });
const versionQuery = z.object({ format: z.enum(['json', 'yaml']).default('json').describe('`yaml`: the blueprint alone, as YAML text') });
const diffQuery = z.object({ from: versionNumber, to: versionNumber });

const moduleSummary = z.object({ name: z.string(), kind: moduleKindSchema, dependsOn: z.array(z.string()) });

export const blueprintVersionSummary = z
  .object({
    projectId: z.string(),
    version: z.number().int().positive(),
    status: z.literal('valid'),
    contentHash: z.string().describe('sha256 of the canonical JSON of the normalized blueprint'),
    name: z.string().describe('metadata.name'),
    format: z.enum(['yaml', 'json']).describe('How the first submission of this content was written'),
    modules: z.array(moduleSummary),
    submittedAt: z.string(),
    submittedBy: z.string(),
  })
  .meta({ id: 'BlueprintVersionSummary' });

export const blueprintVersionView = blueprintVersionSummary
  .extend({ blueprint: z.record(z.string(), z.unknown()).describe('The normalized blueprint: field types parsed, omitted lists present') })
  .meta({ id: 'BlueprintVersion' });

const blueprintVersionPage = z.object({ items: z.array(blueprintVersionSummary), continuation: z.string().optional() }).meta({ id: 'BlueprintVersionPage' });

const blueprintVersionDiff = z
  .object({
    from: z.number().int(),
    to: z.number().int(),
    changed: z.boolean().describe('False when the versions differ only in order'),
    touchedModules: z.array(z.string()).describe('Modules whose artifacts must be regenerated'),
    diff: z.looseObject({
      modules: z.object({ added: z.array(z.string()), removed: z.array(z.string()), changed: z.array(z.looseObject({ name: z.string() })), unchanged: z.array(z.string()) }),
    }),
  })
  .meta({ id: 'BlueprintVersionDiff' });

/** The blueprints service on the process's platform. */
export async function blueprints(): Promise<BlueprintService> {
  const { store, outbox } = await getPlatform();
  const budgets = new BudgetService({ store, outbox });
  const tenants = new TenantService({ store, outbox });
  return new BlueprintService({
    store,
    outbox,
    applyBudget: async (key, monthlyBudgetUsd, change) => void (await budgets.set(key.tenantId, key.projectId, { monthlyBudgetUsd }, change)),
    maxVersions: async (tenantId) => {
      const entitlements = await tenants.entitlements(tenantId);
      return { limit: entitlements.maxBlueprintVersionsPerProject, edition: entitlements.edition };
    },
  });
}

const versionsPath = 'tenants/{tenantId}/projects/{projectId}/blueprints';

export const submitBlueprint = defineRoute({
  method: 'POST',
  path: versionsPath,
  summary: 'Submit a blueprint (YAML or JSON); a valid one becomes the next immutable version',
  description:
    'The body is blueprint text: `application/yaml` / `text/yaml` or `application/json` (other types are sniffed). ' +
    'Answers 201 with a new version, 200 with the existing version when the same content was submitted before, and 422 ' +
    '(code `BlueprintInvalid`) when it is invalid: `errors[]` lists every problem with its path into the document and its `code`. ' +
    'An accepted blueprint with `cost.monthlyBudgetUsd` sets the project\'s monthly budget (`BudgetSet.v1`).',
  tags: ['blueprints'],
  auth: { roles: SUBMITTERS },
  params: projectParams,
  responses: {
    200: blueprintVersionSummary,
    201: blueprintVersionSummary,
    413: `Blueprint over ${MAX_BLUEPRINT_BYTES} bytes`,
    429: "The edition's blueprint versions per project are used up (`BlueprintVersionQuotaExceeded`), or a rate limit (`RateLimited`, with Retry-After)",
    422: 'Invalid blueprint (problem+json with every problem in `errors[]`, each with `path` and `code`); the rejection is audited',
  },
  handler: async ({ params, request, principal, traceId }) => {
    const key = toProjectKey(params);
    const text = await readBlueprintText(request);
    const outcome = await (await blueprints()).submit(key, text, request.headers.get('content-type') ?? undefined, { principal, traceId });
    if (outcome.kind === 'rejected') return toRejectedResponse(outcome.problems, outcome.rejectionId, traceId);
    if (outcome.kind === 'existing') return { status: 200, body: outcome.version };
    const location = `/api/${versionsPath.replace('{tenantId}', key.tenantId).replace('{projectId}', key.projectId)}/${outcome.version.version}`;
    return { status: 201, body: outcome.version, headers: { location } };
  },
});

const blueprintValidationReport = z
  .object({
    valid: z.literal(true),
    format: z.enum(['yaml', 'json']),
    contentHash: z.string().describe('sha256 of the canonical JSON of the normalized blueprint'),
    name: z.string().describe('metadata.name'),
    modules: z.array(moduleSummary),
    existingVersion: z.number().int().positive().optional().describe('The version that already holds this content, if any'),
  })
  .meta({ id: 'BlueprintValidationReport' });

export const validateBlueprint = defineRoute({
  method: 'POST',
  path: `${versionsPath}/validate`,
  operationId: 'validateBlueprint',
  summary: 'Check a blueprint as a submit would, without storing a version or recording anything',
  description:
    'Same body as the submit. Answers 200 with the report when the blueprint is valid, and 422 (code `BlueprintInvalid`) ' +
    'with every problem in `errors[]` otherwise: its `path`, `code`, `message`, and the 1-based `line` and `column` of the text it is ' +
    'about (a missing field: its nearest existing parent) — for editors that validate as the user types. Nothing is stored or audited.',
  tags: ['blueprints'],
  auth: { roles: TENANT_ROLES },
  params: projectParams,
  responses: { 200: blueprintValidationReport, 413: `Blueprint over ${MAX_BLUEPRINT_BYTES} bytes`, 422: 'Invalid blueprint (problem+json with every problem in `errors[]`: `path`, `code`, `message`, `line`, `column`)' },
  handler: async ({ params, request, traceId }) => {
    const text = await readBlueprintText(request);
    const outcome = await (await blueprints()).validate(toProjectKey(params), text, request.headers.get('content-type') ?? undefined);
    if (!outcome.valid) return toRejectedResponse(locateProblems(text, outcome.problems), undefined, traceId);
    return { body: outcome };
  },
});

export const listBlueprints = defineRoute({
  method: 'GET',
  path: versionsPath,
  summary: "List a project's blueprint versions, newest first",
  tags: ['blueprints'],
  auth: { roles: TENANT_ROLES },
  params: projectParams,
  query: pageQuery,
  responses: { 200: blueprintVersionPage },
  handler: async ({ params, query }) => ({ body: await (await blueprints()).list(toProjectKey(params), query) }),
});

export const getBlueprint = defineRoute({
  method: 'GET',
  path: `${versionsPath}/{version:int}`,
  operationId: 'getBlueprintVersion',
  summary: 'Read a blueprint version: its metadata and normalized blueprint (or `?format=yaml`: the blueprint as YAML)',
  tags: ['blueprints'],
  auth: { roles: TENANT_ROLES },
  params: versionParams,
  query: versionQuery,
  responses: { 200: blueprintVersionView },
  handler: async ({ params, query }) => {
    const view = await (await blueprints()).get(toProjectKey(params), params.version);
    const headers = { etag: `"${view.contentHash}"` };
    if (query.format === 'yaml') return { body: toYaml(toBlueprintDocument(view.blueprint)), headers: { ...headers, 'content-type': 'application/yaml; charset=utf-8' } };
    return { body: view, headers };
  },
});

export const diffBlueprintVersions = defineRoute({
  method: 'GET',
  path: `${versionsPath}/diff`,
  operationId: 'diffBlueprintVersions',
  summary: 'Compare two blueprint versions: the structured diff and the modules it touches',
  tags: ['blueprints'],
  auth: { roles: TENANT_ROLES },
  params: projectParams,
  query: diffQuery,
  responses: { 200: blueprintVersionDiff },
  handler: async ({ params, query }) => ({ body: await (await blueprints()).diff(toProjectKey(params), query.from, query.to) }),
});

export const blueprintRoutes = [submitBlueprint, validateBlueprint, listBlueprints, diffBlueprintVersions, getBlueprint];

function toProjectKey(params: { tenantId: string; projectId: string }): ProjectKey {
  return { tenantId: params.tenantId, projectId: params.projectId };
}

/**
 * The body as text. The route declares no body schema on purpose: the wrapper would parse it
 * itself, and the blueprint reader needs the text to report syntax errors with line and column and
 * duplicate keys at their path.
 */
export async function readBlueprintText(request: HttpRequest): Promise<string> {
  const declared = Number(request.headers.get('content-length') ?? NaN);
  if (Number.isFinite(declared) && declared > MAX_BLUEPRINT_BYTES) throw new PayloadTooLarge(MAX_BLUEPRINT_BYTES);
  const bytes = Buffer.from(await request.arrayBuffer());
  if (bytes.length > MAX_BLUEPRINT_BYTES) throw new PayloadTooLarge(MAX_BLUEPRINT_BYTES);
  const text = bytes.toString('utf8');
  if (text.trim() === '') throw new Validation([{ path: 'body', message: 'a blueprint (YAML or JSON) is required' }], 'The request has no blueprint.');
  return text;
}

/** 422 problem+json in the platform's shape; `errors[]` carries each problem's `code` too. */
function toRejectedResponse(problems: (Problem & { line?: number; column?: number })[], rejectionId: string | undefined, traceId: string): RouteResult {
  const problem = {
    type: problemType('BlueprintInvalid'),
    title: 'Unprocessable Content',
    status: 422,
    detail: `The blueprint has ${problems.length} problem${problems.length === 1 ? '' : 's'}; no version was stored.`,
    code: 'BlueprintInvalid',
    errors: problems,
    traceId,
    ...(rejectionId ? { rejectionId } : {}),
  };
  return { status: 422, body: JSON.stringify(problem), headers: { 'content-type': PROBLEM_CONTENT_TYPE } };
}
