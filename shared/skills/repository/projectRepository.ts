import fs from 'node:fs';
import path from 'node:path';
import git, { type TreeEntry } from 'isomorphic-git';
import http from 'isomorphic-git/http/node';
import { readTrailers, withTrailers, type CommitTrailers } from './trailers';
import { archiveRef, type ArchiveFormat } from './archive';
import { diffCommits, type FileChange } from './diff';
import { mergeBranches, type MergeOutcome, type MergeRequest } from './merge';
import { folderTreeId, listFiles, readBlobBytes, resolveCommit } from './refs';

const SAFE_ID = /^[A-Za-z0-9][A-Za-z0-9_-]{0,127}$/;
const BRANCH = /^(?!.*\.\.)(?!.*\/\/)(?!\/)(?!.*\/$)[A-Za-z0-9._/-]{1,200}$/;
export const DEFAULT_BRANCH = 'main';

export interface CommitAuthor {
  name: string;
  email: string;
  /** Seconds since the epoch; now when absent. Fix it to make commit ids reproducible. */
  timestamp?: number;
}

export interface CommitRequest {
  branch: string;
  /** Files to add or replace (paths relative to the repository root, forward slashes). */
  artifacts: { path: string; content: string }[];
  message: string;
  author: CommitAuthor;
  trailers: CommitTrailers;
  /** When true the commit's tree is exactly `artifacts`; by default they are laid over the base tree. */
  replaceTree?: boolean;
}

export interface CommitOutcome {
  sha: string;
  /** False when the tree equals the branch tip's tree: no commit was made and `sha` is the tip. */
  created: boolean;
  branch: string;
}

export interface LoggedCommit {
  sha: string;
  message: string;
  trailers: Record<string, string>;
  author: { name: string; email: string; timestamp: number };
  parents: string[];
}

/** A remote to push to: GitHub or Azure DevOps over HTTPS with a token. */
export interface PushRemote {
  url: string;
  username?: string;
  token?: string;
}

/** `workflow/<id>`: the branch a workflow's artifacts are committed on. */
export function workflowBranch(workflowId: string): string {
  return `workflow/${workflowId.replace(/[^A-Za-z0-9._-]/g, '-')}`;
}

function checkPath(file: string): string[] {
  const segments = file.split('/');
  if (segments.some((segment) => segment === '' || segment === '.' || segment === '..' || segment === '.git')) throw new Error(`Invalid artifact path '${file}'.`);
  return segments;
}

/** A directory of the tree being built: files by name (blob oids) and subdirectories. */
interface Folder {
  files: Map<string, { oid: string; mode: string }>;
  folders: Map<string, Folder>;
}

const emptyFolder = (): Folder => ({ files: new Map(), folders: new Map() });

/**
 * The git repository of one project: a bare repository at
 * `<dataDir>/repositories/<tenantId>/<projectId>.git`, written object by object (no working tree).
 * Commits to one repository are serialized within the process; other processes must not write it.
 */
export class ProjectRepository {
  readonly gitdir: string;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(dataDir: string, tenantId: string, projectId: string) {
    if (!SAFE_ID.test(tenantId) || !SAFE_ID.test(projectId)) throw new Error('tenantId and projectId must be plain ids (letters, digits, _ and -).');
    this.gitdir = path.join(dataDir, 'repositories', tenantId, `${projectId}.git`);
  }

  /** Creates the bare repository (default branch `main`) unless it exists. */
  async init(): Promise<void> {
    if (fs.existsSync(path.join(this.gitdir, 'HEAD'))) return;
    await fs.promises.mkdir(this.gitdir, { recursive: true });
    await git.init({ fs, gitdir: this.gitdir, bare: true, defaultBranch: DEFAULT_BRANCH });
  }

  /**
   * Commits artifacts on `branch` (created from `main`'s tip when new, a root commit in an empty
   * repository), the trailers closing the message. Committing the tree the branch already has makes
   * no commit.
   */
  commitArtifacts(request: CommitRequest): Promise<CommitOutcome> {
    const run = this.queue.then(() => this.commit(request));
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async commit(request: CommitRequest): Promise<CommitOutcome> {
    if (!BRANCH.test(request.branch)) throw new Error(`Invalid branch name '${request.branch}'.`);
    await this.init();
    const tip = (await this.tipOf(request.branch)) ?? (await this.tipOf(DEFAULT_BRANCH));
    const baseTree = tip ? (await git.readCommit({ fs, gitdir: this.gitdir, oid: tip })).commit.tree : undefined;
    const root = request.replaceTree || !baseTree ? emptyFolder() : await this.readFolder(baseTree);
    for (const artifact of request.artifacts) {
      const segments = checkPath(artifact.path);
      let folder = root;
      for (const segment of segments.slice(0, -1)) {
        folder.files.delete(segment);
        folder = folder.folders.get(segment) ?? folder.folders.set(segment, emptyFolder()).get(segment)!;
      }
      const name = segments[segments.length - 1];
      folder.folders.delete(name);
      folder.files.set(name, { oid: await git.writeBlob({ fs, gitdir: this.gitdir, blob: Buffer.from(artifact.content, 'utf8') }), mode: '100644' });
    }
    const tree = await this.writeFolder(root);
    const branchTip = await this.tipOf(request.branch);
    const branchTree = branchTip ? (await git.readCommit({ fs, gitdir: this.gitdir, oid: branchTip })).commit.tree : undefined;
    if (branchTip && branchTree === tree) return { sha: branchTip, created: false, branch: request.branch };
    if (!branchTip && tip && baseTree === tree) {
      await git.writeRef({ fs, gitdir: this.gitdir, ref: `refs/heads/${request.branch}`, value: tip, force: true });
      return { sha: tip, created: false, branch: request.branch };
    }
    const timestamp = request.author.timestamp ?? Math.floor(Date.now() / 1000);
    const person = { name: request.author.name, email: request.author.email, timestamp, timezoneOffset: 0 };
    const sha = await git.writeCommit({
      fs,
      gitdir: this.gitdir,
      commit: { message: withTrailers(request.message, request.trailers), tree, parent: tip ? [tip] : [], author: person, committer: person },
    });
    await git.writeRef({ fs, gitdir: this.gitdir, ref: `refs/heads/${request.branch}`, value: sha, force: true });
    return { sha, created: true, branch: request.branch };
  }

  /** Merges one branch into another (serialized with commits); see `mergeBranches`. */
  merge(request: MergeRequest): Promise<MergeOutcome> {
    const run = this.queue.then(async () => {
      if (!BRANCH.test(request.target) || !BRANCH.test(request.source)) throw new Error('Invalid branch name.');
      return mergeBranches(this.gitdir, request);
    });
    this.queue = run.catch(() => undefined);
    return run;
  }

  /** The best common ancestor of two refs (what a pull request's diff starts from), or undefined. */
  async mergeBase(a: string, b: string): Promise<string | undefined> {
    const [oa, ob] = await Promise.all([resolveCommit(this.gitdir, a), resolveCommit(this.gitdir, b)]);
    const [base] = await git.findMergeBase({ fs, gitdir: this.gitdir, oids: [oa, ob] });
    return base as string | undefined;
  }

  /** The files `head` changes relative to `base`, with unified patches. */
  diff(base: string, head: string): Promise<FileChange[]> {
    return diffCommits(this.gitdir, base, head);
  }

  /** A tar.gz or zip of `ref`'s tree under `prefix/`. */
  archive(ref: string, format: ArchiveFormat, prefix: string): Promise<{ commit: string; content: Buffer }> {
    return archiveRef(this.gitdir, ref, format, prefix);
  }

  /** The commit id of a branch, tag or commit id; throws `UnknownRef`. */
  resolve(ref: string): Promise<string> {
    return resolveCommit(this.gitdir, ref);
  }

  /** The tree id of `folder` at `commit`: it changes exactly when something under the folder does. */
  folderHash(commit: string, folder: string): Promise<string | undefined> {
    return folderTreeId(this.gitdir, commit, folder);
  }

  /** Writes every file under `folder` at `commit` into `target` (paths relative to the folder). */
  async checkout(commit: string, folder: string, target: string): Promise<number> {
    const files = await listFiles(this.gitdir, commit, folder);
    for (const file of files) {
      const destination = path.join(target, ...checkPath(file.path));
      await fs.promises.mkdir(path.dirname(destination), { recursive: true });
      await fs.promises.writeFile(destination, await readBlobBytes(this.gitdir, file.oid), { mode: file.mode === '100755' ? 0o755 : 0o644 });
    }
    return files.length;
  }

  async listBranches(): Promise<string[]> {
    if (!fs.existsSync(path.join(this.gitdir, 'HEAD'))) return [];
    return (await git.listBranches({ fs, gitdir: this.gitdir })).sort();
  }

  /** Commits reachable from `branch`, newest first. */
  async log(branch: string, depth?: number): Promise<LoggedCommit[]> {
    if (!(await this.tipOf(branch))) return [];
    return this.commitsFrom(`refs/heads/${branch}`, depth);
  }

  /** Commits reachable from a commit id, newest first. */
  async logFrom(commit: string, depth?: number): Promise<LoggedCommit[]> {
    return this.commitsFrom(commit, depth);
  }

  private async commitsFrom(ref: string, depth?: number): Promise<LoggedCommit[]> {
    const entries = await git.log({ fs, gitdir: this.gitdir, ref, ...(depth ? { depth } : {}) });
    return entries.map((entry) => ({
      sha: entry.oid,
      message: entry.commit.message,
      trailers: readTrailers(entry.commit.message),
      author: { name: entry.commit.author.name, email: entry.commit.author.email, timestamp: entry.commit.author.timestamp },
      parents: entry.commit.parent,
    }));
  }

  /** A file's UTF-8 content at a commit id, or undefined. */
  async readFileAt(commit: string, file: string): Promise<string | undefined> {
    try {
      const { blob } = await git.readBlob({ fs, gitdir: this.gitdir, oid: commit, filepath: checkPath(file).join('/') });
      return Buffer.from(blob).toString('utf8');
    } catch (error) {
      if ((error as { code?: string }).code === 'NotFoundError') return undefined;
      throw error;
    }
  }

  /** A file's UTF-8 content on `branch`, or undefined when the branch or file does not exist. */
  async readFile(branch: string, file: string): Promise<string | undefined> {
    const tip = await this.tipOf(branch);
    if (!tip) return undefined;
    try {
      const { blob } = await git.readBlob({ fs, gitdir: this.gitdir, oid: tip, filepath: checkPath(file).join('/') });
      return Buffer.from(blob).toString('utf8');
    } catch (error) {
      if ((error as { code?: string }).code === 'NotFoundError') return undefined;
      throw error;
    }
  }

  /**
   * Pushes `branch` to a GitHub or Azure DevOps remote over HTTPS. Without a token nothing is sent and
   * `{ pushed: false }` says why (the factory has no credentials for this project).
   */
  async push(branch: string, remote: PushRemote): Promise<{ pushed: boolean; reason?: string }> {
    if (!remote.token) return { pushed: false, reason: 'no credentials configured for the remote' };
    if (!/^https:\/\//.test(remote.url)) return { pushed: false, reason: 'only https remotes are supported' };
    const username = remote.username ?? (new URL(remote.url).hostname === 'github.com' ? 'x-access-token' : 'pat');
    const result = await git.push({ fs, http, gitdir: this.gitdir, url: remote.url, ref: `refs/heads/${branch}`, remoteRef: `refs/heads/${branch}`, onAuth: () => ({ username, password: remote.token }) });
    return result.ok ? { pushed: true } : { pushed: false, reason: result.error ?? 'the remote refused the push' };
  }

  private async tipOf(branch: string): Promise<string | undefined> {
    try {
      return await git.resolveRef({ fs, gitdir: this.gitdir, ref: `refs/heads/${branch}` });
    } catch {
      return undefined;
    }
  }

  private async readFolder(oid: string): Promise<Folder> {
    const folder = emptyFolder();
    for (const entry of (await git.readTree({ fs, gitdir: this.gitdir, oid })).tree) {
      if (entry.type === 'tree') folder.folders.set(entry.path, await this.readFolder(entry.oid));
      else folder.files.set(entry.path, { oid: entry.oid, mode: entry.mode });
    }
    return folder;
  }

  private async writeFolder(folder: Folder): Promise<string> {
    const entries: TreeEntry[] = [];
    for (const [name, sub] of folder.folders) entries.push({ mode: '040000', path: name, oid: await this.writeFolder(sub), type: 'tree' });
    for (const [name, file] of folder.files) entries.push({ mode: file.mode, path: name, oid: file.oid, type: 'blob' });
    const key = (entry: TreeEntry) => (entry.type === 'tree' ? `${entry.path}/` : entry.path);
    entries.sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
    return git.writeTree({ fs, gitdir: this.gitdir, tree: entries });
  }
}
