import { randomUUID } from 'node:crypto';
import { ActionType, inputText, OrchestratorAction, retryDelayMs } from './actions';
import { EventType, HistoryEvent, historyEvent } from './history';
import { instanceIdProblem } from './instanceIds';
import type { EpisodeCommit, InboxRow, InstanceRow, RetryState } from './store';
import { orchestrationTraceParent } from './trace';

// How an orchestrator step turns new actions into history and work, and how `...WithRetry` calls
// get their back-off timers and next attempts (as the Durable Task retry interceptor does).

/** True for events that make the replay code allocate a sequence number for a retry. */
export function isRetryTrigger(row: InboxRow, retries: Record<string, RetryState>): boolean {
  if (row.message.kind !== 'event') return false;
  const e = row.message.event;
  if (e.EventType === EventType.TaskFailed || e.EventType === EventType.SubOrchestrationInstanceFailed) {
    return retries[String(e.TaskScheduledId)]?.phase === 'attempt';
  }
  if (e.EventType === EventType.TimerFired) {
    const r = retries[String(e.TimerId)];
    return r?.phase === 'timer' && r.attempt < r.maxAttempts;
  }
  return false;
}

/** Adds the history event and the outgoing work of one new action to the step's commit. */
export function scheduleAction(
  instance: InstanceRow,
  action: OrchestratorAction,
  seq: number,
  commit: EpisodeCommit,
  now: number,
  isLive: (instanceId: string) => boolean,
  hasOrchestrator: (name: string) => boolean,
): void {
  const id = instance.instanceId;
  switch (action.actionType) {
    case ActionType.CallActivity:
    case ActionType.CallActivityWithRetry: {
      const input = inputText(action.input, true);
      commit.appendHistory.push(historyEvent(EventType.TaskScheduled, { EventId: seq, Name: action.functionName, Input: input, IsPlayed: true }, new Date(now)));
      commit.work.push({ instanceId: id, executionId: instance.executionId, seq, name: action.functionName!, input, traceParent: orchestrationTraceParent(instance) ?? null });
      if (action.actionType === ActionType.CallActivityWithRetry) instance.retries[seq] = retryState('activity', action, input);
      break;
    }
    case ActionType.CallSubOrchestrator:
    case ActionType.CallSubOrchestratorWithRetry: {
      const input = inputText(action.input, false);
      const childId = action.instanceId || `${id}:${seq}`;
      const refusal = subOrchestrationRefusal(childId, action.functionName!, isLive, hasOrchestrator) ?? (commit.newInstances.some((c) => c.instanceId === childId) ? `An orchestration with instance ID '${childId}' already exists.` : undefined);
      if (refusal) {
        const reason = refusal;
        commit.appendHistory.push(historyEvent(EventType.SubOrchestrationInstanceCreated, { EventId: seq, Name: action.functionName, InstanceId: childId, Input: input, IsPlayed: true }, new Date(now)));
        commit.inbox.push({ instanceId: id, executionId: instance.executionId, visibleAt: now, message: { kind: 'event', event: historyEvent(EventType.SubOrchestrationInstanceFailed, { TaskScheduledId: seq, Reason: reason, Details: '' }, new Date(now)) } });
        break;
      }
      startChild(instance, action.functionName!, childId, input, seq, commit, now);
      if (action.actionType === ActionType.CallSubOrchestratorWithRetry) instance.retries[seq] = { ...retryState('subOrchestration', action, input), childId };
      break;
    }
    case ActionType.CreateTimer: {
      const fireAt = new Date(action.fireAt ?? now);
      commit.appendHistory.push(historyEvent(EventType.TimerCreated, { EventId: seq, FireAt: fireAt.toISOString(), IsPlayed: true }, new Date(now)));
      if (!action.isCanceled) {
        commit.inbox.push({
          instanceId: id,
          executionId: instance.executionId,
          visibleAt: fireAt.getTime(),
          message: { kind: 'event', event: historyEvent(EventType.TimerFired, { TimerId: seq, FireAt: fireAt.toISOString() }, fireAt) },
        });
      }
      break;
    }
    default:
      break;
  }
}

/**
 * Why a sub-orchestration cannot start, as the parent sees it (SubOrchestrationInstanceFailed):
 * an unknown orchestrator (the extension's message), an invalid instance id, or a live instance
 * with that id.
 */
function subOrchestrationRefusal(childId: string, name: string, isLive: (id: string) => boolean, hasOrchestrator: (name: string) => boolean): string | undefined {
  if (!hasOrchestrator(name)) return `The function '${name}' doesn't exist, is disabled, or is not an orchestrator function.`;
  const invalid = instanceIdProblem(childId);
  if (invalid) return invalid;
  if (isLive(childId)) return `An orchestration with instance ID '${childId}' already exists.`;
  return undefined;
}

function retryState(kind: RetryState['kind'], action: OrchestratorAction, input: string | null): RetryState {
  const o = action.retryOptions!;
  return {
    phase: 'attempt',
    kind,
    name: action.functionName!,
    input,
    attempt: 1,
    maxAttempts: o.maxNumberOfAttempts,
    firstIntervalMs: o.firstRetryIntervalInMilliseconds,
    backoff: o.backoffCoefficient ?? 1,
    maxIntervalMs: o.maxRetryIntervalInMilliseconds ?? 0,
  };
}

function startChild(parent: InstanceRow, name: string, childId: string, input: string | null, seq: number, commit: EpisodeCommit, now: number): void {
  const at = new Date(now).toISOString();
  commit.appendHistory.push(historyEvent(EventType.SubOrchestrationInstanceCreated, { EventId: seq, Name: name, InstanceId: childId, Input: input, IsPlayed: true }, new Date(now)));
  const child: InstanceRow = {
    instanceId: childId,
    name,
    executionId: randomUUID().replace(/-/g, ''),
    status: 'Pending',
    input,
    output: null,
    customStatus: null,
    createdAt: at,
    updatedAt: at,
    parentInstanceId: parent.instanceId,
    parentSeq: seq,
    parentExecutionId: parent.executionId,
    traceParent: orchestrationTraceParent(parent) ?? null,
    nextSeq: 0,
    actionSeqs: [],
    retries: {},
  };
  commit.newInstances.push(child);
  commit.inbox.push({ instanceId: childId, executionId: child.executionId, visibleAt: now, message: { kind: 'start' } });
}

/**
 * A failed attempt of a `...WithRetry` call gets a back-off timer; the timer firing schedules the
 * next attempt. This mirrors the Durable Task retry interceptor, whose history the replay code expects.
 */
export function applyRetryBookkeeping(instance: InstanceRow, event: HistoryEvent, commit: EpisodeCommit, now: number): void {
  const retries = instance.retries;
  const completedSeq = event.TaskScheduledId;
  if (completedSeq !== undefined && retries[completedSeq]?.phase === 'attempt') {
    const r = retries[completedSeq];
    delete retries[completedSeq];
    if (event.EventType === EventType.TaskFailed || event.EventType === EventType.SubOrchestrationInstanceFailed) {
      const timerSeq = instance.nextSeq++;
      const fireAt = new Date(now + retryDelayMs(r.attempt, r.firstIntervalMs, r.backoff, r.maxIntervalMs));
      retries[timerSeq] = { ...r, phase: 'timer' };
      commit.appendHistory.push(historyEvent(EventType.TimerCreated, { EventId: timerSeq, FireAt: fireAt.toISOString(), IsPlayed: true }, new Date(now)));
      commit.inbox.push({
        instanceId: instance.instanceId,
        executionId: instance.executionId,
        visibleAt: fireAt.getTime(),
        message: { kind: 'event', event: historyEvent(EventType.TimerFired, { TimerId: timerSeq, FireAt: fireAt.toISOString() }, fireAt) },
      });
    }
    return;
  }
  const timerSeq = event.EventType === EventType.TimerFired ? event.TimerId : undefined;
  if (timerSeq !== undefined && retries[timerSeq]?.phase === 'timer') {
    const r = retries[timerSeq];
    delete retries[timerSeq];
    if (r.attempt >= r.maxAttempts) return;
    const seq = instance.nextSeq++;
    retries[seq] = { ...r, phase: 'attempt', attempt: r.attempt + 1 };
    if (r.kind === 'activity') {
      commit.appendHistory.push(historyEvent(EventType.TaskScheduled, { EventId: seq, Name: r.name, Input: r.input, IsPlayed: true }, new Date(now)));
      commit.work.push({ instanceId: instance.instanceId, executionId: instance.executionId, seq, name: r.name, input: r.input, traceParent: orchestrationTraceParent(instance) ?? null });
    } else {
      startChild(instance, r.name, r.childId ?? `${instance.instanceId}:${seq}`, r.input, seq, commit, now);
    }
  }
}
