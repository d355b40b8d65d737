import { changeEvent, type ChangeContext } from '../platform/eventOutbox';
import { prebuildCommit } from './prebuild';
import { Conflict, NotFound } from '../platform/http/errors';
import { StoreConflict } from '../platform/ports';
import type { PullRequestDocument } from '../workflows/schemas';
import { MergeRefused, readTrailers, type FileChange, type MergeMode } from '../skills/repository';
import type { DeliveryServices } from './services';

type Key = { tenantId: string; projectId: string };
const FACTORY_AUTHOR = { name: 'Software Factory', email: 'factory@software-factory.local' };

/** A pull request as stored: the sprint's record, plus what a merge adds. */
export interface PullRequestRecord extends PullRequestDocument {
  mergedBy?: string;
  mergedAt?: string;
  mergeCommit?: string;
}

/** 409 with the conflicting files (as `errors`), or the refused fast-forward. */
export class MergeConflict extends Conflict {
  constructor(
    detail: string,
    readonly files: string[],
  ) {
    super(detail, 'MergeConflict');
  }
}

/** The merge message: a title, then the source tip's trailers (Trace-Id, Workflow-Id, Blueprint-Version) so main's tip names its blueprint. */
async function mergeMessage(services: DeliveryServices, key: Key, source: string, title: string): Promise<string> {
  const [tip] = await services.repository(key.tenantId, key.projectId).log(source, 1);
  const trailers = tip ? readTrailers(tip.message) : {};
  const lines = ['Trace-Id', 'Workflow-Id', 'Blueprint-Version'].filter((k) => trailers[k]).map((k) => `${k}: ${trailers[k]}`);
  return `${title}\n\n${lines.join('\n')}\n`;
}

export async function requirePullRequest(services: DeliveryServices, key: Key, id: string) {
  const pr = await services.platform.store.read<PullRequestRecord>('workflows', key, id);
  if (!pr || pr.type !== 'pullRequest') throw new NotFound(`Pull request '${id}' was not found.`);
  return pr;
}

/** What a pull request changes: from the merge base of target and source to the source's tip. */
export async function pullRequestDiff(services: DeliveryServices, key: Key, id: string): Promise<{ base: string; head: string; files: FileChange[] }> {
  const pr = await requirePullRequest(services, key, id);
  const repository = services.repository(key.tenantId, key.projectId);
  const head = await repository.resolve(pr.status === 'merged' ? pr.commit : pr.sourceBranch);
  const base = (await repository.mergeBase(pr.targetBranch, head).catch(() => undefined)) ?? head;
  return { base, head, files: base === head && pr.status !== 'merged' ? [] : await repository.diff(base, head) };
}

/**
 * Merges an open pull request into its target (fast-forward, or a merge commit) and records who
 * merged it (`PullRequestMerged.v1`). 409 `MergeConflict` when files conflict or a fast-forward is
 * impossible; 409 when it is merged already.
 */
export async function mergePullRequest(services: DeliveryServices, key: Key, id: string, mode: MergeMode, change: ChangeContext): Promise<PullRequestRecord> {
  const pr = await requirePullRequest(services, key, id);
  if (pr.status !== 'open') throw new Conflict(`Pull request '${id}' is ${pr.status}.`, 'PullRequestClosed');
  const repository = services.repository(key.tenantId, key.projectId);
  let outcome;
  try {
    outcome = await repository.merge({ source: pr.sourceBranch, target: pr.targetBranch, mode, message: await mergeMessage(services, key, pr.sourceBranch, `Merge pull request ${id}: ${pr.title}`), author: FACTORY_AUTHOR });
  } catch (error) {
    if (error instanceof MergeRefused) throw new MergeConflict(`${error.message}${error.files.length ? ` Files: ${error.files.join(", ")}.` : ""}`, error.files);
    throw error;
  }
  if (pr.targetBranch === 'main') prebuildCommit(services, key, outcome.sha);
  const { _etag, ...current } = pr;
  const next = { ...current, status: 'merged' as const, mergedBy: change.principal?.id ?? 'system', mergedAt: new Date().toISOString(), mergeCommit: outcome.sha };
  const event = changeEvent('PullRequestMerged.v1', { pullRequestId: id, sourceBranch: pr.sourceBranch, targetBranch: pr.targetBranch, commit: outcome.sha, fastForward: outcome.fastForward }, change, { ...key, workflowId: pr.workflowId, subject: `pull-requests/${id}` });
  try {
    await services.platform.outbox.commit('workflows', key, [{ op: 'replace', document: next, ifMatch: _etag }], [event]);
  } catch (error) {
    if (error instanceof StoreConflict) throw new Conflict(`Pull request '${id}' changed while merging.`, 'PullRequestClosed');
    throw error;
  }
  return next;
}

/**
 * After ProjectBootstrap: merges the workflow branch into main (fast-forward when possible, else a
 * merge commit; `main` is created by the first), or opens a pull request when FACTORY_BOOTSTRAP_MERGE
 * is `pull-request` or the merge conflicts. Idempotent per workflow.
 */
export async function mergeWorkflowBranch(services: DeliveryServices, input: { tenantId: string; projectId: string; workflowId: string; traceId: string; branch: string; blueprintVersion: number }): Promise<{ merged: boolean; sha?: string; pullRequestId?: string; reason?: string }> {
  const key = { tenantId: input.tenantId, projectId: input.projectId };
  const repository = services.repository(input.tenantId, input.projectId);
  const change = { principal: { id: 'system:workflows' }, traceId: input.traceId };
  if (services.platform.config.FACTORY_BOOTSTRAP_MERGE === 'merge') {
    const message = await mergeMessage(services, key, input.branch, `Merge ${input.branch} (ProjectBootstrap, blueprint v${input.blueprintVersion})`);
    try {
      const ff = await repository.merge({ source: input.branch, target: 'main', mode: 'fast-forward', message, author: FACTORY_AUTHOR }).catch(async (error: unknown) => {
        if (error instanceof MergeRefused && error.reason === 'not-fast-forward') return repository.merge({ source: input.branch, target: 'main', mode: 'merge-commit', message, author: FACTORY_AUTHOR });
        throw error;
      });
      prebuildCommit(services, key, ff.sha);
      return { merged: true, sha: ff.sha };
    } catch (error) {
      if (!(error instanceof MergeRefused)) throw error;
      const pullRequestId = await openBootstrapPullRequest(services, key, input, change);
      return { merged: false, pullRequestId, reason: error.message };
    }
  }
  return { merged: false, pullRequestId: await openBootstrapPullRequest(services, key, input, change) };
}

async function openBootstrapPullRequest(services: DeliveryServices, key: Key, input: { workflowId: string; branch: string; blueprintVersion: number }, change: ChangeContext): Promise<string> {
  const id = `pr-${input.workflowId}`;
  if (await services.platform.store.read('workflows', key, id)) return id;
  const commit = await services.repository(key.tenantId, key.projectId).resolve(input.branch);
  const pr = { id, ...key, type: 'pullRequest', workflowId: input.workflowId, title: `ProjectBootstrap: blueprint v${input.blueprintVersion}`, sourceBranch: input.branch, targetBranch: 'main', commit, touchedModules: [], toVersion: input.blueprintVersion, status: 'open', createdAt: new Date().toISOString() };
  const event = changeEvent('PullRequestOpened.v1', { pullRequestId: id, sourceBranch: input.branch, targetBranch: 'main', commit, modules: [] }, change, { ...key, workflowId: input.workflowId, subject: `pull-requests/${id}` });
  try {
    await services.platform.outbox.commit('workflows', key, [{ op: 'create', document: pr }], [event]);
  } catch (error) {
    if (!(error instanceof StoreConflict)) throw error;
  }
  return id;
}
