import { randomUUID } from 'node:crypto';
import type { FunctionRegistry } from '../core/coreApi';
import type { Invoker } from '../core/invoker';
import { ActionType, flattenActions, inputText, OrchestratorAction, OrchestratorStateShape, stateFromFailure } from './actions';
import { replayDivergence } from './determinism';
import type { HistoryCache } from './historyCache';
import { applyRetryBookkeeping, isRetryTrigger, scheduleAction } from './scheduling';
import { EventType, HistoryEvent, historyEvent, parse } from './history';
import { DurableStore, EpisodeCommit, InboxRow, InstanceRow, NewInbox, TERMINAL, WorkRow } from './store';
import { orchestrationTraceParent } from './trace';

/** What a committed step set in motion, for the dispatcher to act on. */
export interface EpisodeResult {
  work: WorkRow[];
  /** Instances that received messages visible now. */
  wake: string[];
  /** Earliest future visibility among the messages written (timers, retries). */
  nextVisibleAt?: number;
}

export interface EpisodeDeps {
  store: DurableStore;
  registry: FunctionRegistry;
  invoker: Invoker;
  cache: HistoryCache;
}

/** durable-functions ReplaySchema.V4, the newest replay protocol it speaks. */
const LatestReplaySchema = 3;

const UNSUPPORTED: Partial<Record<ActionType, string>> = {
  [ActionType.CallEntity]: 'durable entities',
  [ActionType.SignalEntity]: 'durable entities',
  [ActionType.CallHttp]: 'callHttp',
};

/**
 * One orchestrator step for an instance: applies its visible inbox to the history, lets the
 * app's orchestrator (durable-functions' own replay) decide, and commits the new history with the
 * work it scheduled in one transaction.
 */
export async function runEpisode(deps: EpisodeDeps, instanceId: string): Promise<EpisodeResult> {
  const { store, cache } = deps;
  const result: EpisodeResult = { work: [], wake: [] };
  const now = Date.now();
  const rows = store.visibleInbox(instanceId, now);
  const stored = store.getInstance(instanceId);
  if (rows.length === 0) return result;
  if (!stored || TERMINAL.has(stored.status)) {
    // Messages to an instance that ended (or was purged) are dropped, as in Azure.
    store.discardInbox(rows.map((r) => r.id));
    return result;
  }
  const instance: InstanceRow = { ...stored, actionSeqs: [...stored.actionSeqs], retries: { ...stored.retries } };
  const history = cache.get(store, instance);
  const commit = emptyCommit(instance, history.length);
  const at = new Date(now);
  const stamp = at.toISOString();
  instance.updatedAt = stamp;

  const events: InboxRow[] = [];
  let started = false;
  for (const row of rows) {
    const m = row.message;
    if (row.executionId && row.executionId !== instance.executionId) {
      commit.consumedInbox.push(row.id); // left over from an earlier execution
      continue;
    }
    switch (m.kind) {
      case 'terminate':
        commit.consumedInbox.push(row.id);
        return finish(deps, commit, history, 'Terminated', JSON.stringify(m.reason), `Terminated: ${m.reason}`, result, now);
      case 'suspend':
        commit.consumedInbox.push(row.id);
        if (instance.status !== 'Suspended') {
          instance.status = 'Suspended';
          commit.appendHistory.push(historyEvent(EventType.ExecutionSuspended, { Reason: m.reason, IsPlayed: true }, at));
        }
        break;
      case 'resume':
        commit.consumedInbox.push(row.id);
        if (instance.status === 'Suspended') {
          instance.status = 'Running';
          commit.appendHistory.push(historyEvent(EventType.ExecutionResumed, { Reason: m.reason, IsPlayed: true }, at));
        }
        break;
      case 'start':
        commit.consumedInbox.push(row.id);
        started = history.length === 0;
        break;
      case 'event':
        events.push(row);
        break;
    }
  }
  if (instance.status === 'Suspended' || (!started && history.length === 0)) {
    // Suspended: events wait in the inbox until resumed. Not started: nothing to replay yet.
    const controlOnly = commit.appendHistory;
    await store.commitEpisodeSoon(commit);
    cache.set(instanceId, instance.executionId, history.concat(controlOnly));
    return result;
  }

  // Events that make the replay code allocate a sequence number for a retry go first, so the
  // numbers this backend assigns match the ones the orchestrator assigns.
  const ordered = [...events.filter((r) => isRetryTrigger(r, instance.retries)), ...events.filter((r) => !isRetryTrigger(r, instance.retries))];
  const newEvents: HistoryEvent[] = [...commit.appendHistory, historyEvent(EventType.OrchestratorStarted, {}, at)];
  commit.appendHistory = newEvents;
  if (started) {
    instance.status = 'Running';
    newEvents.push(historyEvent(EventType.ExecutionStarted, { Name: instance.name, Input: instance.input, ...(instance.traceParent ? { ParentTraceContext: { TraceParent: instance.traceParent, TraceState: null } } : {}) }, at));
  }
  for (const row of ordered) {
    commit.consumedInbox.push(row.id);
    const event = (row.message as { event: HistoryEvent }).event;
    if (event.EventType === EventType.TimerFired) event.Timestamp = stamp;
    newEvents.push(event);
    applyRetryBookkeeping(instance, event, commit, now);
  }

  const fn = deps.registry.get(instance.name);
  if (!fn || fn.trigger.type.toLowerCase() !== 'orchestrationtrigger') {
    const message = `The function '${instance.name}' doesn't exist, is disabled, or is not an orchestrator function.`;
    return finish(deps, commit, history, 'Failed', JSON.stringify(message), message, result, now);
  }
  const fullHistory = history.concat(newEvents);
  const triggerInput = {
    history: fullHistory,
    input: instance.input === null ? undefined : parse(instance.input),
    instanceId,
    isReplaying: history.length > 0,
    parentInstanceId: instance.parentInstanceId ?? '',
    upperSchemaVersion: LatestReplaySchema,
    upperSchemaVersionNew: LatestReplaySchema,
    maximumShortTimerDuration: '6.00:00:00',
    longRunningTimerIntervalDuration: '3.00:00:00',
    defaultHttpAsyncRequestSleepTimeMillseconds: 30000,
  };
  let state: OrchestratorStateShape | undefined;
  let failure: string | undefined;
  try {
    const outcome = await deps.invoker.invoke(fn, {
      triggerData: { json: cache.triggerJson(instanceId, history, newEvents, triggerInput) },
      traceParent: orchestrationTraceParent(instance),
      rawResult: true,
    });
    state = outcome.raw as OrchestratorStateShape;
  } catch (error) {
    failure = stateFromFailure(error).message;
  }
  for (const e of newEvents) e.IsPlayed = true;
  if (failure !== undefined || !state) {
    const message = `Orchestrator function '${instance.name}' failed: ${failure ?? 'it returned no state'}`;
    return finish(deps, commit, history, 'Failed', JSON.stringify(message), message, result, now);
  }
  if (state.customStatus !== undefined) instance.customStatus = JSON.stringify(state.customStatus);

  const actions = flattenActions(state);
  // A replay that no longer produces what the history recorded fails the instance (and schedules nothing).
  const divergence = replayDivergence(actions.filter((a) => a.actionType !== ActionType.ContinueAsNew), instance.actionSeqs, fullHistory);
  if (divergence) return finish(deps, commit, history, 'Failed', JSON.stringify(divergence), divergence, result, now);
  let continueAsNew: OrchestratorAction | undefined;
  for (let i = 0; i < actions.length; i++) {
    const action = actions[i];
    if (action.actionType === ActionType.ContinueAsNew) {
      continueAsNew = action;
      continue;
    }
    const unsupported = UNSUPPORTED[action.actionType];
    if (unsupported) {
      const message = `Orchestrator function '${instance.name}' failed: ${unsupported} are not supported by the local host.`;
      return finish(deps, commit, history, 'Failed', JSON.stringify(message), message, result, now);
    }
    if (i < instance.actionSeqs.length) {
      if (action.actionType === ActionType.CreateTimer && action.isCanceled) commit.cancelTimers.push(instance.actionSeqs[i]);
      continue;
    }
    const seq = instance.nextSeq++;
    instance.actionSeqs.push(seq);
    scheduleAction(
      instance,
      action,
      seq,
      commit,
      now,
      (id) => {
        const existing = store.getInstance(id);
        return !!existing && !TERMINAL.has(existing.status);
      },
      (name) => deps.registry.get(name)?.trigger.type.toLowerCase() === 'orchestrationtrigger',
    );
  }

  if (continueAsNew) {
    const previous = instance.executionId;
    instance.executionId = randomUUID().replace(/-/g, '');
    instance.input = inputText(continueAsNew.input, true);
    instance.status = 'ContinuedAsNew';
    instance.nextSeq = 0;
    instance.actionSeqs = [];
    instance.retries = {};
    commit.resetHistory = true;
    commit.appendHistory = [];
    commit.historyOffset = 0;
    commit.clearExecution = previous;
    commit.work = [];
    commit.newInstances = [];
    commit.inbox = [{ instanceId, executionId: instance.executionId, visibleAt: now, message: { kind: 'start' } }];
    commit.cancelTimers = [];
    cache.drop(instanceId);
    await store.commitEpisodeSoon(commit);
    result.wake.push(instanceId);
    return result;
  }
  if (state.isDone) {
    const output = JSON.stringify(state.output === undefined ? null : state.output);
    return finish(deps, commit, history, 'Completed', output, undefined, result, now);
  }
  return commitAndReport(deps, commit, history, result, now);
}

function emptyCommit(instance: InstanceRow, historyOffset: number): EpisodeCommit {
  return { instance, appendHistory: [], historyOffset, consumedInbox: [], inbox: [], work: [], newInstances: [], cancelTimers: [] };
}

/** Ends the instance: its final history event, its output, and the parent's completion message. */
function finish(
  deps: EpisodeDeps,
  commit: EpisodeCommit,
  history: HistoryEvent[],
  status: 'Completed' | 'Failed' | 'Terminated',
  output: string,
  failureReason: string | undefined,
  result: EpisodeResult,
  now: number,
): Promise<EpisodeResult> {
  const instance = commit.instance;
  instance.status = status;
  instance.output = output;
  const at = new Date(now);
  commit.appendHistory.push(
    status === 'Terminated'
      ? historyEvent(EventType.ExecutionTerminated, { Reason: failureReason, IsPlayed: true }, at)
      : historyEvent(EventType.ExecutionCompleted, { OrchestrationStatus: status, Result: output, IsPlayed: true }, at),
  );
  commit.work = [];
  commit.newInstances = [];
  commit.inbox = [];
  commit.cancelTimers = [];
  commit.clearExecution = instance.executionId;
  if (instance.parentInstanceId && instance.parentSeq !== null) {
    const parentEvent: HistoryEvent =
      status === 'Completed'
        ? historyEvent(EventType.SubOrchestrationInstanceCompleted, { TaskScheduledId: instance.parentSeq, Result: output }, at)
        : historyEvent(EventType.SubOrchestrationInstanceFailed, { TaskScheduledId: instance.parentSeq, Reason: failureReason ?? status, Details: '' }, at);
    const message: NewInbox = { instanceId: instance.parentInstanceId, executionId: instance.parentExecutionId, visibleAt: now, message: { kind: 'event', event: parentEvent } };
    commit.inbox.push(message);
  }
  return commitAndReport(deps, commit, history, result, now);
}

async function commitAndReport(deps: EpisodeDeps, commit: EpisodeCommit, history: HistoryEvent[], result: EpisodeResult, now: number): Promise<EpisodeResult> {
  const instance = commit.instance;
  try {
    result.work = await deps.store.commitEpisodeSoon(commit);
  } catch (error) {
    deps.cache.drop(instance.instanceId);
    throw error;
  }
  if (TERMINAL.has(instance.status)) deps.cache.drop(instance.instanceId);
  else deps.cache.set(instance.instanceId, instance.executionId, history.concat(commit.appendHistory));
  for (const m of commit.inbox) {
    if (m.visibleAt <= now) result.wake.push(m.instanceId);
    else if (result.nextVisibleAt === undefined || m.visibleAt < result.nextVisibleAt) result.nextVisibleAt = m.visibleAt;
  }
  return result;
}
