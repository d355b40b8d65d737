import { seg, type FactoryClient } from './client';
import { ApiError } from './errors';
import { ExitCode, type ExitCodeValue } from './exitCodes';

/** One step of a workflow's timeline, as `GET .../workflows/{id}` answers it. */
export interface Step {
  step: string;
  module?: string;
  agent?: string;
  skill?: string;
  attempts: number;
  status: 'running' | 'succeeded' | 'failed' | 'waiting';
  startedAt: string;
  finishedAt?: string;
  artifacts: string[];
  failure?: string;
}

export interface Workflow {
  workflowId: string;
  projectId: string;
  kind: string;
  status: 'Running' | 'Completed' | 'Failed' | 'Rejected' | 'Cancelled';
  runtimeStatus?: string;
  blueprintVersion: number;
  traceId: string;
  startedAt: string;
  finishedAt?: string;
  failure?: string;
  summary?: { outcome: string; artifacts: number; modules: { name: string; validated: boolean; artifacts: number }[]; commit?: { branch: string; sha: string } };
  timeline?: Step[];
}

export interface Approval {
  id: string;
  workflowId: string;
  gate: string;
  subject: string;
  status: string;
  eligibleRoles: string[];
  requestedAt: string;
  [field: string]: unknown;
}

/** Where following a workflow stopped: an end state, or a wait for a person's approval. */
export type Outcome = 'completed' | 'failed' | 'rejected' | 'cancelled' | 'waiting-for-approval';

export interface Followed {
  workflow: Workflow;
  outcome: Outcome;
  /** The approval it waits for (when the key may list approvals). */
  approval?: Approval;
}

const END_STATES: Record<string, Outcome> = { Completed: 'completed', Failed: 'failed', Rejected: 'rejected', Cancelled: 'cancelled' };

/** The exit code of an outcome: 0 completed, 1 failed or rejected, 3 waiting for approval, 4 cancelled. */
export function exitCodeOf(outcome: Outcome): ExitCodeValue {
  if (outcome === 'completed') return ExitCode.Ok;
  if (outcome === 'waiting-for-approval') return ExitCode.WaitingForApproval;
  if (outcome === 'cancelled') return ExitCode.Cancelled;
  return ExitCode.Failed;
}

export interface FollowOptions {
  tenantPath: string;
  projectPath: string;
  workflowId: string;
  intervalMs?: number;
  /** Called with every fresh read of the workflow. */
  onUpdate?: (workflow: Workflow) => void;
  /** Stop following (Ctrl+C): resolves with undefined. */
  signal?: AbortSignal;
}

/**
 * Polls the workflow until it ends or waits at an approval gate (a `waiting` step whose approval
 * is pending). Never changes the workflow: stopping only stops watching.
 */
export async function followWorkflow(client: FactoryClient, options: FollowOptions): Promise<Followed | undefined> {
  const path = `${options.projectPath}/workflows/${seg(options.workflowId)}`;
  for (;;) {
    if (options.signal?.aborted) return undefined;
    const workflow = await client.get<Workflow>(path);
    options.onUpdate?.(workflow);
    const ended = END_STATES[workflow.status];
    if (ended) return { workflow, outcome: ended };
    if (workflow.timeline?.some((s) => s.status === 'waiting')) {
      const approval = await pendingApprovalOf(client, options.tenantPath, options.workflowId);
      if (approval !== null) return { workflow, outcome: 'waiting-for-approval', ...(approval ? { approval } : {}) };
    }
    await sleep(options.intervalMs ?? 1000, options.signal);
  }
}

/** The pending approval of a workflow; undefined when this key may not list approvals; null when none is pending yet. */
async function pendingApprovalOf(client: FactoryClient, tenantPath: string, workflowId: string): Promise<Approval | undefined | null> {
  try {
    const page = await client.get<{ items: Approval[] }>(`${tenantPath}/approvals`, { query: { status: 'pending', workflowId } });
    return page.items[0] ?? null;
  } catch (error) {
    if (error instanceof ApiError && error.problem.status === 403) return undefined;
    throw error;
  }
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}
