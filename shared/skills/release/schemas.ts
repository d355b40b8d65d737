import { z } from 'zod';
import { roleSchema } from '../../platform/auth/roles';
import { environmentSchema, moduleKindSchema } from '../../blueprints/schemas';

const sha256 = z.string().regex(/^[0-9a-f]{64}$/, 'a sha256, lowercase hex');
const semver = z.string().regex(/^\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?$/, 'a semantic version');

export const releaseArtifactSchema = z.strictObject({ name: z.string().min(1), kind: z.string().min(1), contentHash: sha256 });

/**
 * The declarative release manifest (SPEC §6 Release): what a release deploys, and where in which
 * order with which approvals. Drift scans compare an environment against its last manifest.
 */
export const releaseManifestSchema = z
  .strictObject({
    apiVersion: z.literal('factory/v1'),
    kind: z.literal('ReleaseManifest'),
    release: z.strictObject({ version: semver }),
    blueprint: z.strictObject({ name: z.string().min(1), contentHash: sha256, edition: z.enum(['free', 'pro', 'enterprise']) }),
    modules: z
      .array(
        z.strictObject({
          name: z.string().min(1),
          kind: moduleKindSchema,
          /** `{release}+{digest}`: the digest (12 hex) covers the module's artifact hashes, so an unchanged module keeps it. */
          version: semver,
          artifacts: z.array(releaseArtifactSchema).min(1),
        }),
      )
      .min(1),
    projectArtifacts: z.array(releaseArtifactSchema),
    environments: z.array(z.strictObject({ name: environmentSchema, order: z.int().min(1), approvals: z.array(roleSchema) })).min(1),
  })
  .superRefine((manifest, ctx) => {
    const names = manifest.modules.map((module) => module.name);
    if (new Set(names).size !== names.length) ctx.addIssue({ code: 'custom', path: ['modules'], message: 'module names repeat' });
    manifest.environments.forEach((environment, index) => {
      if (environment.order !== index + 1) ctx.addIssue({ code: 'custom', path: ['environments', index, 'order'], message: `expected order ${index + 1}` });
    });
    const artifactNames = [...manifest.modules.flatMap((module) => module.artifacts), ...manifest.projectArtifacts].map((artifact) => artifact.name);
    if (new Set(artifactNames).size !== artifactNames.length) ctx.addIssue({ code: 'custom', path: ['modules'], message: 'an artifact is listed twice' });
  });

export type ReleaseManifest = z.output<typeof releaseManifestSchema>;
