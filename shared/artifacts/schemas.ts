import { z } from 'zod';
import type { StoredDocument } from '../platform/ports';
import { idSchema } from '../platform/http/tenantParams';
import { isBase64 } from './base64';

/** What an artifact is; the skills of the coordinators produce these. Extend as skills are added. */
export const ARTIFACT_KINDS = [
  'vision-document',
  'architecture-document',
  'openapi-contract',
  'event-schema',
  'service-code',
  'tests',
  'test-report',
  'validation-report',
  'bicep',
  'k8s-manifests',
  'pipeline',
  'release-manifest',
  'other',
] as const;

export const artifactKindSchema = z.enum(ARTIFACT_KINDS);
export type ArtifactKind = z.infer<typeof artifactKindSchema>;

export const VALIDATION_STATUSES = ['pending', 'passed', 'failed'] as const;
export const validationStatusSchema = z.enum(VALIDATION_STATUSES);
export type ValidationStatus = z.infer<typeof validationStatusSchema>;

/** An artifact id as it appears in routes and `inputs` (any well-formed id; unknown ones are 404). */
export const artifactIdSchema = idSchema;

/** A relative, forward-slash path such as `src/orders/service.ts`: no leading `/`, no `.`/`..` segments. */
export const artifactNameSchema = z
  .string()
  .min(1)
  .max(300)
  .refine((name) => !name.includes('\\') && ![...name].some((c) => c.charCodeAt(0) < 0x20), 'forward slashes only, no control characters')
  .refine((name) => name.split('/').every((segment) => segment !== '' && segment !== '.' && segment !== '..'), 'no empty, . or .. segments');

/** `type/subtype` with optional parameters, e.g. `text/markdown; charset=utf-8`. */
export const contentTypeSchema = z
  .string()
  .max(200)
  .regex(/^[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]*\/[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]*(\s*;\s*[A-Za-z0-9!#$&^_.+-]+=("[^"]*"|[A-Za-z0-9!#$&^_.+-]+))*$/, 'a media type such as text/markdown');

const shortText = z.string().trim().min(1).max(128);

/** One problem a validator found (compiler error, failing test, policy finding). */
export const validationFindingSchema = z.object({
  message: z.string().min(1).max(2000),
  path: z.string().max(500).optional().describe('File, JSON path or test name the finding is about'),
});

/** What a validator reports about an artifact. */
export const validationUpdateSchema = z.object({
  status: validationStatusSchema,
  details: z.string().max(4000).optional().describe('Summary, e.g. "42 tests passed"'),
  findings: z.array(validationFindingSchema).max(200).default([]),
});
export type ValidationUpdate = z.output<typeof validationUpdateSchema>;

/** The validation state of an artifact: `pending` until a validator reports. */
export const artifactValidationSchema = validationUpdateSchema.extend({
  updatedAt: z.string(),
  updatedBy: z.string(),
});
export type ArtifactValidation = z.infer<typeof artifactValidationSchema>;

/** Metadata a producer supplies with new content (the service assigns id, version, hash and size). */
export const artifactDraftSchema = z.object({
  module: idSchema.optional().describe('Blueprint module the artifact belongs to; absent for project-wide artifacts'),
  kind: artifactKindSchema,
  name: artifactNameSchema,
  contentType: contentTypeSchema.optional().describe('Default: text/plain; charset=utf-8 for utf-8 content, application/octet-stream for base64'),
  workflowId: shortText.optional(),
  originatingAgent: shortText.optional().describe('Agent that produced it, e.g. backend-developer; absent for human uploads'),
  skill: shortText.optional().describe('Skill that produced it, e.g. GenerateService'),
  inputs: z.array(artifactIdSchema).max(100).default([]).describe('Ids of the artifacts it was derived from (lineage)'),
});


/** `POST .../artifacts`: metadata plus the content, as utf-8 text or base64. */
export const newArtifactBodySchema = artifactDraftSchema
  .extend({
    content: z.string().describe('The content: text, or base64 when encoding is base64'),
    encoding: z.enum(['utf-8', 'base64']).default('utf-8'),
  })
  .superRefine((body, ctx) => {
    if (body.encoding === 'base64' && !isBase64(body.content)) ctx.addIssue({ code: 'custom', path: ['content'], message: 'not valid base64' });
  })
  .meta({ id: 'NewArtifact' });
export type NewArtifactBody = z.output<typeof newArtifactBodySchema>;

/** Artifact metadata as the API returns it (SPEC §7). */
export const artifactSchema = z
  .object({
    id: z.string(),
    tenantId: z.string(),
    projectId: z.string(),
    module: z.string().optional(),
    kind: artifactKindSchema,
    name: z.string(),
    version: z.number().int().positive().describe('1, 2, … per (module, kind, name), one per distinct content'),
    contentHash: z.string().describe('sha256 of the content, hex'),
    size: z.number().int().nonnegative(),
    contentType: z.string(),
    traceId: z.string(),
    workflowId: z.string().optional(),
    originatingAgent: z.string().optional(),
    skill: z.string().optional(),
    inputs: z.array(z.string()),
    validation: artifactValidationSchema,
    createdAt: z.string(),
    createdBy: z.string(),
  })
  .meta({ id: 'Artifact' });
export type Artifact = z.infer<typeof artifactSchema>;

export const artifactPageSchema = z.object({ items: z.array(artifactSchema), continuation: z.string().optional() });

const pageQuery = {
  limit: z.coerce.number().int().min(1).max(1000).default(100),
  continuation: z.string().min(1).optional(),
};

export const artifactListQuerySchema = z.object({
  module: idSchema.optional(),
  kind: artifactKindSchema.optional(),
  workflowId: shortText.optional(),
  ...pageQuery,
});
export type ArtifactListQuery = z.output<typeof artifactListQuerySchema>;

export const versionsQuerySchema = z.object(pageQuery);

export const MAX_LINEAGE_DEPTH = 20;
export const lineageQuerySchema = z.object({
  depth: z.coerce.number().int().min(1).max(MAX_LINEAGE_DEPTH).default(10).describe('How many input levels to follow'),
});

/** An artifact in a lineage graph, with its distance (in input hops) from the artifact asked about. */
export const lineageNodeSchema = z.object({
  id: z.string(),
  module: z.string().optional(),
  kind: artifactKindSchema,
  name: z.string(),
  version: z.number().int(),
  contentHash: z.string(),
  originatingAgent: z.string().optional(),
  skill: z.string().optional(),
  validation: validationStatusSchema,
  depth: z.number().int().nonnegative(),
});
export type LineageNode = z.infer<typeof lineageNodeSchema>;

/** The artifacts an artifact was derived from, transitively: edges point from input to derived artifact. */
export const lineageSchema = z
  .object({
    root: z.string(),
    nodes: z.array(lineageNodeSchema),
    edges: z.array(z.object({ from: z.string(), to: z.string() })),
    truncated: z.boolean().describe('True when the depth or node limit cut the graph short'),
  })
  .meta({ id: 'ArtifactLineage' });
export type Lineage = z.infer<typeof lineageSchema>;

export const artifactParamsSchema = z.object({ tenantId: idSchema, projectId: idSchema, artifactId: artifactIdSchema });

/** An artifact as stored: container `artifacts`, partition (tenantId, projectId). */
export interface ArtifactDocument extends StoredDocument, Omit<Artifact, 'id' | 'tenantId' | 'projectId'> {
  type: 'artifact';
  projectId: string;
  /** The series (module, kind, name) this is a version of. */
  seriesId: string;
}

/** The versions of one (module, kind, name): the latest version number, kept with optimistic concurrency. */
export interface ArtifactSeriesDocument extends StoredDocument {
  type: 'artifactSeries';
  projectId: string;
  module?: string;
  kind: ArtifactKind;
  name: string;
  latestVersion: number;
  latestArtifactId: string;
  updatedAt: string;
}
