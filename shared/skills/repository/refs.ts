import fs from 'node:fs';
import git from 'isomorphic-git';

const SHA = /^[0-9a-f]{40}$/;

/** Thrown when a ref (branch, tag or commit id) names nothing in the repository. */
export class UnknownRef extends Error {
  readonly code = 'UnknownRef';
}

/** The commit id `ref` names: a full commit id, a branch (`main`, `refs/heads/main`) or a tag. */
export async function resolveCommit(gitdir: string, ref: string): Promise<string> {
  if (SHA.test(ref)) {
    try {
      await git.readCommit({ fs, gitdir, oid: ref });
      return ref;
    } catch {
      throw new UnknownRef(`Commit '${ref}' does not exist.`);
    }
  }
  for (const candidate of [`refs/heads/${ref}`, `refs/tags/${ref}`, ref]) {
    try {
      return await git.resolveRef({ fs, gitdir, ref: candidate });
    } catch {
      // try the next form
    }
  }
  throw new UnknownRef(`Ref '${ref}' does not exist.`);
}

/** Every file of a commit's tree (or of one folder of it), with blob ids and modes. */
export async function listFiles(gitdir: string, commit: string, folder?: string): Promise<{ path: string; oid: string; mode: string }[]> {
  const { commit: parsed } = await git.readCommit({ fs, gitdir, oid: commit });
  let root = parsed.tree;
  if (folder) {
    try {
      root = (await git.readTree({ fs, gitdir, oid: commit, filepath: folder })).oid;
    } catch {
      return [];
    }
  }
  const files: { path: string; oid: string; mode: string }[] = [];
  const walk = async (oid: string, prefix: string): Promise<void> => {
    for (const entry of (await git.readTree({ fs, gitdir, oid })).tree) {
      const name = prefix ? `${prefix}/${entry.path}` : entry.path;
      if (entry.type === 'tree') await walk(entry.oid, name);
      else if (entry.type === 'blob') files.push({ path: name, oid: entry.oid, mode: entry.mode });
    }
  };
  await walk(root, '');
  return files;
}

/** The tree id of a folder at a commit (a content hash of everything under it), or undefined. */
export async function folderTreeId(gitdir: string, commit: string, folder: string): Promise<string | undefined> {
  try {
    return (await git.readTree({ fs, gitdir, oid: commit, filepath: folder })).oid;
  } catch {
    return undefined;
  }
}

/** A blob's bytes. */
export async function readBlobBytes(gitdir: string, oid: string): Promise<Buffer> {
  return Buffer.from((await git.readBlob({ fs, gitdir, oid })).blob);
}
