import fs from 'node:fs';
import git, { Errors } from 'isomorphic-git';
import { resolveCommit } from './refs';

/** `fast-forward`: only when the target is an ancestor of the source; `merge-commit`: always a merge commit. */
export type MergeMode = 'fast-forward' | 'merge-commit';

export interface MergeRequest {
  source: string;
  target: string;
  mode: MergeMode;
  message: string;
  author: { name: string; email: string; timestamp?: number };
}

export interface MergeOutcome {
  /** The target's new tip. */
  sha: string;
  /** True when the target only moved forward (no merge commit). */
  fastForward: boolean;
  /** True when the source was already contained in the target: nothing changed. */
  alreadyMerged: boolean;
}

/** The merge cannot be done as asked: conflicting files, or a fast-forward that is not possible. */
export class MergeRefused extends Error {
  readonly code = 'MergeRefused';
  constructor(
    message: string,
    readonly reason: 'conflict' | 'not-fast-forward',
    readonly files: string[] = [],
  ) {
    super(message);
  }
}

/**
 * Merges branch `source` into branch `target` of a bare repository. A missing target is created at
 * the source's tip (the first merge into `main`). Conflicts abort without changing anything.
 */
export async function mergeBranches(gitdir: string, request: MergeRequest): Promise<MergeOutcome> {
  const sourceTip = await resolveCommit(gitdir, request.source);
  let targetTip: string | undefined;
  try {
    targetTip = await git.resolveRef({ fs, gitdir, ref: `refs/heads/${request.target}` });
  } catch {
    targetTip = undefined;
  }
  if (!targetTip) {
    await git.writeRef({ fs, gitdir, ref: `refs/heads/${request.target}`, value: sourceTip });
    return { sha: sourceTip, fastForward: true, alreadyMerged: false };
  }
  const person = { name: request.author.name, email: request.author.email, timestamp: request.author.timestamp ?? Math.floor(Date.now() / 1000), timezoneOffset: 0 };
  try {
    const result = await git.merge({
      fs,
      gitdir,
      ours: request.target,
      theirs: request.source,
      fastForward: request.mode === 'fast-forward',
      fastForwardOnly: request.mode === 'fast-forward',
      message: request.message,
      author: person,
      committer: person,
      abortOnConflict: true,
    });
    const sha = result.oid ?? (await git.resolveRef({ fs, gitdir, ref: `refs/heads/${request.target}` }));
    return { sha, fastForward: Boolean(result.fastForward), alreadyMerged: Boolean(result.alreadyMerged) };
  } catch (error) {
    if (error instanceof Errors.FastForwardError) throw new MergeRefused(`'${request.target}' has commits that '${request.source}' lacks: a fast-forward is not possible; merge with a merge commit.`, 'not-fast-forward');
    if (error instanceof Errors.MergeConflictError) {
      const data = (error as unknown as { data?: { filepaths?: string[]; bothModified?: string[] } }).data;
      const files = data?.filepaths ?? data?.bothModified ?? [];
      throw new MergeRefused(`Merging '${request.source}' into '${request.target}' conflicts in ${files.length} file(s).`, 'conflict', files);
    }
    if (error instanceof Errors.MergeNotSupportedError) throw new MergeRefused(`Merging '${request.source}' into '${request.target}' conflicts.`, 'conflict');
    throw error;
  }
}
