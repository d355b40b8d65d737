import { compareText } from './naming';
import { SkillValidationError, type SkillArtifact, type SkillCheck, type SkillResult } from './types';

/** A check from the failures a validator found: ok when there are none. */
export function toCheck(name: string, failures: readonly string[]): SkillCheck {
  return failures.length ? { name, ok: false, detail: failures.join('; ') } : { name, ok: true };
}

/**
 * The result of a skill run: artifacts sorted by name, inputs sorted; throws `SkillValidationError`
 * listing every failed check so that invalid output never leaves a skill.
 */
export function toSkillResult(skill: string, artifacts: SkillArtifact[], checks: SkillCheck[]): SkillResult {
  const failures = checks.filter((check) => !check.ok).map((check) => `${check.name}: ${check.detail ?? 'failed'}`);
  if (failures.length) throw new SkillValidationError(skill, failures);
  const sorted = artifacts
    .map((artifact) => ({ ...artifact, inputs: [...new Set(artifact.inputs)].sort(compareText) }))
    .sort((a, b) => compareText(a.name, b.name));
  return { artifacts: sorted, checks };
}

/** Names of the given kinds of earlier artifacts of a module (for lineage). */
export function inputNames(artifacts: readonly SkillArtifact[], module: string | undefined, kinds: readonly string[]): string[] {
  return artifacts.filter((artifact) => kinds.includes(artifact.kind) && (module === undefined || artifact.module === module)).map((artifact) => artifact.name);
}
