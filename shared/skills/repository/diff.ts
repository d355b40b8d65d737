import fs from 'node:fs';
import git, { TREE } from 'isomorphic-git';
import { createTwoFilesPatch } from 'diff';
import { resolveCommit } from './refs';

/** One changed file between two commits, with a unified patch (text files up to 200 KB). */
export interface FileChange {
  path: string;
  status: 'added' | 'modified' | 'deleted';
  additions: number;
  deletions: number;
  patch?: string;
}

const MAX_PATCH_BYTES = 200_000;

function toPatch(path: string, before: string, after: string): { patch?: string; additions: number; deletions: number } {
  if (before.length + after.length > MAX_PATCH_BYTES || /\0/.test(before + after)) return { additions: 0, deletions: 0 };
  const patch = createTwoFilesPatch(`a/${path}`, `b/${path}`, before, after, undefined, undefined, { context: 3 });
  const lines = patch.split('\n').slice(2);
  return {
    patch,
    additions: lines.filter((line) => line.startsWith('+') && !line.startsWith('+++')).length,
    deletions: lines.filter((line) => line.startsWith('-') && !line.startsWith('---')).length,
  };
}

/** What `head` changes relative to `base` (both refs or commit ids), file by file, sorted by path. */
export async function diffCommits(gitdir: string, base: string, head: string): Promise<FileChange[]> {
  const [baseSha, headSha] = await Promise.all([resolveCommit(gitdir, base), resolveCommit(gitdir, head)]);
  const changes: FileChange[] = [];
  await git.walk({
    fs,
    gitdir,
    trees: [TREE({ ref: baseSha }), TREE({ ref: headSha })],
    map: async (filepath, [a, b]) => {
      if (filepath === '.') return true;
      const [typeA, typeB] = [await a?.type(), await b?.type()];
      if (typeA === 'tree' || typeB === 'tree') return true;
      const [oidA, oidB] = [await a?.oid(), await b?.oid()];
      if (oidA === oidB) return undefined;
      const before = a && typeA === 'blob' ? Buffer.from((await a.content()) ?? []).toString('utf8') : '';
      const after = b && typeB === 'blob' ? Buffer.from((await b.content()) ?? []).toString('utf8') : '';
      const status = !oidA ? 'added' : !oidB ? 'deleted' : 'modified';
      changes.push({ path: filepath, status, ...toPatch(filepath, before, after) });
      return undefined;
    },
  });
  return changes.sort((x, y) => (x.path < y.path ? -1 : x.path > y.path ? 1 : 0));
}
