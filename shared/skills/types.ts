/**
 * The contract of a built-in agent skill (SPEC §7): a pure, deterministic function from a blueprint
 * (and earlier artifacts) to artifacts. Same input → byte-identical artifacts: no clock, no
 * randomness, sorted iteration. Every skill validates its own output and throws
 * `SkillValidationError` when that fails.
 */
import type { Blueprint } from '../blueprints/schemas';

/** What an artifact is; the artifacts context and the workflows key on it. */
export type ArtifactKind =
  | 'vision-document'
  | 'architecture-document'
  | 'openapi-contract'
  | 'event-schema'
  | 'service-code'
  | 'tests'
  | 'bicep'
  | 'k8s-manifests'
  | 'pipeline'
  | 'release-manifest'
  | 'validation-report';

/** One generated file. */
export interface SkillArtifact {
  /** Path-like and unique within a project, e.g. `booking-service/openapi.yaml`. */
  name: string;
  kind: ArtifactKind;
  /** The blueprint module it belongs to (`BookingService`); absent for project-wide artifacts. */
  module?: string;
  /** A media type, e.g. `application/yaml`, `text/markdown`, `application/schema+json`. */
  contentType: string;
  content: string;
  /** Names of the artifacts it was derived from (lineage); sorted, `blueprint` for the blueprint itself. */
  inputs: string[];
}

export interface SkillInput {
  blueprint: Blueprint;
  /** The module to work on (its blueprint name, `BookingService`); skills that need one throw without it. */
  module?: string;
  /** Outputs of earlier skills (e.g. the OpenAPI contract for GenerateService). */
  artifacts: SkillArtifact[];
  options?: Record<string, unknown>;
}

/** The outcome of one named output check; a skill throws when any check is not ok. */
export interface SkillCheck {
  name: string;
  ok: boolean;
  detail?: string;
}

export interface SkillResult {
  artifacts: SkillArtifact[];
  checks: SkillCheck[];
}

/** A built-in skill, addressed as `agentRole/name` (e.g. `api-designer/EmitOpenApiContract`). */
export interface Skill {
  name: string;
  agentRole: string;
  /** One line for the agent and skill registry (`GET /api/agents`). */
  description?: string;
  run(input: SkillInput): SkillResult | Promise<SkillResult>;
}

/**
 * SPEC §7 metadata the executor stores beside an artifact. `skill`, `originatingAgent`,
 * `contentHash` and `inputs` follow from the skill run (see `toArtifactMetadata`); `traceId`,
 * `projectId`, `version` and `timestamp` come from the agent task.
 */
export interface ArtifactMetadata {
  name: string;
  kind: ArtifactKind;
  module?: string;
  contentType: string;
  skill: string;
  originatingAgent: string;
  /** sha256 (lowercase hex) of the UTF-8 content. */
  contentHash: string;
  inputs: string[];
  traceId: string;
  projectId: string;
  version: string;
  timestamp: string;
}

/** Thrown when a skill's output fails its own validation; `failures` lists every failed check. */
export class SkillValidationError extends Error {
  readonly skill: string;
  readonly failures: string[];

  constructor(skill: string, failures: string[]) {
    super(`${skill} produced invalid output: ${failures.join('; ')}`);
    this.name = 'SkillValidationError';
    this.skill = skill;
    this.failures = failures;
  }
}
