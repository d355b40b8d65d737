import { changeEvent } from '../platform/eventOutbox';
import { StoreConflict } from '../platform/ports';
import type { PullRequestDocument } from './schemas';
import type { WorkflowServices } from './services';

/**
 * Records the pull request of a sprint: the sprint branch against `main`, with the touched modules.
 * Pushing the branch to a configured remote is the delivery step after it; locally the pull
 * request is the record and the branch in the project repository.
 */
export async function openSprintPullRequest(
  services: WorkflowServices,
  input: { tenantId: string; projectId: string; workflowId: string; traceId: string; branch: string; commit: string; touchedModules: string[]; fromVersion: number; toVersion: number },
): Promise<{ id: string; sourceBranch: string; targetBranch: string }> {
  const id = `pr-${input.workflowId}`;
  const key = { tenantId: input.tenantId, projectId: input.projectId };
  const existing = await services.platform.store.read<PullRequestDocument>('workflows', key, id);
  const view = { id, sourceBranch: input.branch, targetBranch: 'main' };
  if (existing) return view;
  const pullRequest: PullRequestDocument = {
    id,
    ...key,
    type: 'pullRequest',
    workflowId: input.workflowId,
    title: `Blueprint v${input.fromVersion} → v${input.toVersion}: regenerate ${input.touchedModules.join(', ')}`,
    sourceBranch: input.branch,
    targetBranch: 'main',
    commit: input.commit,
    touchedModules: input.touchedModules,
    fromVersion: input.fromVersion,
    toVersion: input.toVersion,
    status: 'open',
    createdAt: new Date().toISOString(),
  };
  const event = changeEvent(
    'PullRequestOpened.v1',
    { pullRequestId: id, sourceBranch: input.branch, targetBranch: 'main', commit: input.commit, modules: input.touchedModules },
    { principal: { id: 'system:workflows' }, traceId: input.traceId },
    { ...key, workflowId: input.workflowId, subject: `pull-requests/${id}` },
  );
  try {
    await services.platform.outbox.commit('workflows', key, [{ op: 'create', document: pullRequest }], [event]);
  } catch (error) {
    if (!(error instanceof StoreConflict)) throw error;
  }
  return view;
}
