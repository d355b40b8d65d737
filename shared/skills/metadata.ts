import { contentHashOf } from '../platform/blobs/contentHash';
import type { ArtifactMetadata, Skill, SkillArtifact } from './types';

/** What the agent task contributes to an artifact's SPEC §7 metadata. */
export interface ArtifactTaskContext {
  traceId: string;
  projectId: string;
  /** The blueprint version (or release version) the artifact was generated for. */
  version: string;
  /** When the executor stored it; skills never read the clock themselves. */
  timestamp: string;
}

/** sha256 (lowercase hex) of an artifact's UTF-8 content: equal content, equal hash. */
export function artifactContentHash(artifact: Pick<SkillArtifact, 'content'>): string {
  return contentHashOf(Buffer.from(artifact.content, 'utf8'));
}

/** The SPEC §7 metadata of an artifact a skill produced within an agent task. */
export function toArtifactMetadata(skill: Pick<Skill, 'name' | 'agentRole'>, artifact: SkillArtifact, task: ArtifactTaskContext): ArtifactMetadata {
  return {
    name: artifact.name,
    kind: artifact.kind,
    ...(artifact.module === undefined ? {} : { module: artifact.module }),
    contentType: artifact.contentType,
    skill: skill.name,
    originatingAgent: skill.agentRole,
    contentHash: artifactContentHash(artifact),
    inputs: [...artifact.inputs],
    traceId: task.traceId,
    projectId: task.projectId,
    version: task.version,
    timestamp: task.timestamp,
  };
}
