import type { HistoryEvent } from './history';

/** The records of the local durable backend: instances, inbox messages, work items, step commits. */

export type RuntimeStatus = 'Pending' | 'Running' | 'Completed' | 'ContinuedAsNew' | 'Failed' | 'Terminated' | 'Suspended';
export const TERMINAL: ReadonlySet<RuntimeStatus> = new Set(['Completed', 'Failed', 'Terminated']);

/** Bookkeeping for one attempt or back-off timer of a `...WithRetry` call, keyed by its sequence number. */
export interface RetryState {
  phase: 'attempt' | 'timer';
  kind: 'activity' | 'subOrchestration';
  name: string;
  input: string | null;
  attempt: number;
  maxAttempts: number;
  firstIntervalMs: number;
  backoff: number;
  maxIntervalMs: number;
  /** Sub-orchestration instance id prefix for retried attempts. */
  childId?: string;
}

export interface InstanceRow {
  instanceId: string;
  name: string;
  executionId: string;
  status: RuntimeStatus;
  input: string | null;
  output: string | null;
  customStatus: string | null;
  createdAt: string;
  updatedAt: string;
  parentInstanceId: string | null;
  parentSeq: number | null;
  parentExecutionId: string | null;
  traceParent: string | null;
  nextSeq: number;
  /** Sequence number of each action the orchestrator has scheduled, by action index. */
  actionSeqs: number[];
  retries: Record<string, RetryState>;
}

/** What an orchestration's inbox can hold: history events to apply, or control messages. */
export type InboxMessage =
  | { kind: 'event'; event: HistoryEvent }
  | { kind: 'start' }
  | { kind: 'terminate'; reason: string }
  | { kind: 'suspend'; reason: string }
  | { kind: 'resume'; reason: string };

export interface InboxRow {
  id: number;
  instanceId: string;
  executionId: string | null;
  visibleAt: number;
  message: InboxMessage;
}

export interface NewInbox {
  instanceId: string;
  executionId: string | null;
  visibleAt: number;
  message: InboxMessage;
}

export interface WorkRow {
  id: number;
  instanceId: string;
  executionId: string;
  seq: number;
  name: string;
  input: string | null;
  traceParent: string | null;
}

export type NewWork = Omit<WorkRow, 'id'>;

/** Everything one orchestrator step changes, committed in one transaction. */
export interface EpisodeCommit {
  instance: InstanceRow;
  /** When set, the history is replaced (a new execution after continue-as-new). */
  resetHistory?: boolean;
  appendHistory: HistoryEvent[];
  historyOffset: number;
  consumedInbox: number[];
  /** Deletes the pending timers, completions and work items of this execution (it ended or continued as new). */
  clearExecution?: string;
  /** Timers (by sequence number) the orchestrator cancelled. */
  cancelTimers: number[];
  inbox: NewInbox[];
  work: NewWork[];
  newInstances: InstanceRow[];
}

export interface ListFilter {
  createdFrom?: string;
  createdTo?: string;
  statuses?: string[];
  instanceIdPrefix?: string;
  top: number;
  /** Opaque continuation: the last instance id of the previous page. */
  after?: { createdAt: string; instanceId: string };
}
