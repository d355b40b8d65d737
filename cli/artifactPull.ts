import fs from 'node:fs';
import path from 'node:path';
import { seg, type BinaryAnswer, type FactoryClient } from './client';
import { UsageError } from './errors';

/** An artifact's metadata as the API lists it; `name` is its path in the project repository. */
export interface Artifact {
  id: string;
  module?: string;
  kind: string;
  name: string;
  version: number;
  size: number;
  contentType: string;
  contentHash: string;
  workflowId?: string;
  skill?: string;
  originatingAgent?: string;
  validation?: { status: string };
  createdAt: string;
  [field: string]: unknown;
}

export interface ArtifactFilter {
  workflowId?: string;
  module?: string;
  kind?: string;
}

/** Every artifact matching the filter, oldest first, across pages. */
export async function listAllArtifacts(client: FactoryClient, projectPath: string, filter: ArtifactFilter): Promise<Artifact[]> {
  const items: Artifact[] = [];
  let continuation: string | undefined;
  do {
    const page = await client.get<{ items: Artifact[]; continuation?: string }>(`${projectPath}/artifacts`, { query: { ...filter, limit: 1000, continuation } });
    items.push(...page.items);
    continuation = page.continuation;
  } while (continuation);
  return items;
}

/** The newest version of each repository path (the list is oldest first). */
export function latestByPath(artifacts: Artifact[]): Artifact[] {
  const latest = new Map<string, Artifact>();
  for (const artifact of artifacts) latest.set(artifact.name, artifact);
  return [...latest.values()];
}

/** `dir/name`, refusing names that would land outside `dir` (absolute, `..`). */
export function targetPath(dir: string, name: string): string {
  const root = path.resolve(dir);
  const target = path.resolve(root, name);
  if (path.isAbsolute(name) || (target !== root && !target.startsWith(`${root}${path.sep}`))) throw new Error(`Artifact path '${name}' leaves the target folder; not written.`);
  return target;
}

export interface PulledFile {
  path: string;
  artifactId: string;
  bytes: number;
}

/**
 * Writes the artifacts' content under `dir` at their repository paths (the same tree as the
 * project repository), newest version of each path.
 */
export async function pullArtifacts(client: FactoryClient, projectPath: string, filter: ArtifactFilter, dir: string): Promise<PulledFile[]> {
  if (!filter.workflowId && !filter.module) throw new UsageError('Pass --workflow <id> or --module <name> (or both) to choose what to pull.');
  const artifacts = latestByPath(await listAllArtifacts(client, projectPath, filter));
  const pulled: PulledFile[] = [];
  for (const artifact of artifacts) {
    const target = targetPath(dir, artifact.name);
    const content = await client.request<BinaryAnswer>('GET', `${projectPath}/artifacts/${seg(artifact.id)}/content`, { binary: true });
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.writeFileSync(target, content.bytes);
    pulled.push({ path: path.relative(process.cwd(), target) || target, artifactId: artifact.id, bytes: content.bytes.length });
  }
  return pulled;
}
