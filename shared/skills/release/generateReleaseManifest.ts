import { contentHash } from '../../blueprints/canonical';
import type { Blueprint } from '../../blueprints/schemas';
import { contentHashOf } from '../../platform/blobs/contentHash';
import { artifactContentHash } from '../metadata';
import { compareText } from '../naming';
import { toCheck, toSkillResult } from '../outcome';
import { SkillValidationError, type Skill, type SkillArtifact, type SkillInput, type SkillResult } from '../types';
import { releaseManifestSchema, type ReleaseManifest } from './schemas';

const NAME = 'GenerateReleaseManifest';
const DEFAULT_VERSION = '0.1.0';

function toEntry(artifact: SkillArtifact) {
  return { name: artifact.name, kind: artifact.kind, contentHash: artifactContentHash(artifact) };
}

/** The release manifest of a blueprint and the artifacts to release (sorted by name, hashed). */
export function toReleaseManifest(blueprint: Blueprint, artifacts: readonly SkillArtifact[], releaseVersion: string): ReleaseManifest {
  const sorted = [...artifacts].sort((a, b) => compareText(a.name, b.name));
  const modules = blueprint.spec.modules.map((module) => {
    const entries = sorted.filter((artifact) => artifact.module === module.name).map(toEntry);
    const digest = contentHashOf(Buffer.from(entries.map((entry) => `${entry.name}\n${entry.contentHash}\n`).join(''), 'utf8')).slice(0, 12);
    return { name: module.name, kind: module.kind, version: `${releaseVersion}+${digest}`, artifacts: entries };
  });
  const approvals = blueprint.spec.release?.approvals ?? {};
  return {
    apiVersion: 'factory/v1',
    kind: 'ReleaseManifest',
    release: { version: releaseVersion },
    blueprint: { name: blueprint.metadata.name, contentHash: contentHash(blueprint), edition: blueprint.spec.edition ?? 'pro' },
    modules,
    projectArtifacts: sorted.filter((artifact) => artifact.module === undefined).map(toEntry),
    environments: blueprint.spec.environments.map((name, index) => ({ name, order: index + 1, approvals: [...(approvals[name] ?? [])] })),
  };
}

/**
 * Failures of a release manifest given as JSON text: the zod schema, and against the blueprint and
 * artifacts: its modules and environments in blueprint order, hashes equal to the artifacts' content.
 */
export function validateReleaseManifestText(text: string, blueprint: Blueprint, artifacts: readonly SkillArtifact[]): string[] {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return [`not JSON: ${(error as Error).message}`];
  }
  const parsed = releaseManifestSchema.safeParse(value);
  if (!parsed.success) return parsed.error.issues.map((issue) => `${issue.path.join('.') || '/'}: ${issue.message}`);
  const manifest = parsed.data;
  const failures: string[] = [];
  if (manifest.modules.map((module) => module.name).join() !== blueprint.spec.modules.map((module) => module.name).join()) failures.push('modules differ from the blueprint');
  if (manifest.environments.map((environment) => environment.name).join() !== blueprint.spec.environments.join()) failures.push('environments differ from the blueprint order');
  const hashes = new Map(artifacts.map((artifact) => [artifact.name, artifactContentHash(artifact)]));
  for (const entry of [...manifest.modules.flatMap((module) => module.artifacts), ...manifest.projectArtifacts]) {
    if (hashes.get(entry.name) !== entry.contentHash) failures.push(`artifact ${entry.name}: hash does not match its content`);
  }
  return failures;
}

/**
 * `release-manager/GenerateReleaseManifest`: `release/manifest.json` from the blueprint and the
 * artifacts to release (`input.artifacts`); option `releaseVersion` (semver, default 0.1.0).
 */
export const generateReleaseManifest: Skill = {
  name: NAME,
  agentRole: 'release-manager',
  description: 'Declarative release manifest: modules with versions and artifact hashes, environments in order with approvals.',
  run(input: SkillInput): SkillResult {
    const version = input.options?.releaseVersion ?? DEFAULT_VERSION;
    if (typeof version !== 'string') throw new SkillValidationError(NAME, ['options.releaseVersion must be a string']);
    const content = `${JSON.stringify(toReleaseManifest(input.blueprint, input.artifacts, version), null, 2)}\n`;
    return toSkillResult(
      NAME,
      [{ name: 'release/manifest.json', kind: 'release-manifest', contentType: 'application/json', content, inputs: ['blueprint', ...input.artifacts.map((artifact) => artifact.name)] }],
      [toCheck('release-manifest', validateReleaseManifestText(content, input.blueprint, input.artifacts))],
    );
  },
};
