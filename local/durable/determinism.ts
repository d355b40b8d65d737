import { ActionType, OrchestratorAction } from './actions';
import { EventType, HistoryEvent } from './history';

/**
 * Replay check of the Durable Task Framework (TaskOrchestrationContext.Handle*Event): each
 * scheduling event in the history (TaskScheduled, SubOrchestrationInstanceCreated, TimerCreated)
 * must be matched by the action the replayed orchestrator produced at the same position, of the
 * same kind and (for activities and sub-orchestrations) the same name, compared case-insensitively.
 * Messages follow NonDeterministicOrchestrationException's, so the instance fails as in Azure:
 * "Non-Deterministic workflow detected: …".
 */
export const NON_DETERMINISM_PREFIX = 'Non-Deterministic workflow detected: ';

const CHANGED = 'Was a change made to the orchestrator code after this instance had already started running?';

/** The .NET action class DTFx names in its messages. */
const ACTION_CLASS: Partial<Record<ActionType, string>> = {
  [ActionType.CallActivity]: 'ScheduleTaskOrchestratorAction',
  [ActionType.CallActivityWithRetry]: 'ScheduleTaskOrchestratorAction',
  [ActionType.CallHttp]: 'ScheduleTaskOrchestratorAction',
  [ActionType.CallSubOrchestrator]: 'CreateSubOrchestrationAction',
  [ActionType.CallSubOrchestratorWithRetry]: 'CreateSubOrchestrationAction',
  [ActionType.CreateTimer]: 'CreateTimerOrchestratorAction',
  [ActionType.ContinueAsNew]: 'OrchestrationCompleteOrchestratorAction',
  [ActionType.CallEntity]: 'SendEventOrchestratorAction',
  [ActionType.SignalEntity]: 'SendEventOrchestratorAction',
};

const isActivity = (a: OrchestratorAction) => a.actionType === ActionType.CallActivity || a.actionType === ActionType.CallActivityWithRetry;
const isSubOrchestration = (a: OrchestratorAction) => a.actionType === ActionType.CallSubOrchestrator || a.actionType === ActionType.CallSubOrchestratorWithRetry;
const sameName = (a: string | undefined, b: string | undefined) => (a ?? '').toLowerCase() === (b ?? '').toLowerCase();

/**
 * The first divergence between the replayed `actions` (scheduling actions in creation order) and
 * the history, where `actionSeqs[i]` is the sequence number action i got when first scheduled.
 * Returns the failure message (with the prefix), or undefined when the replay matches.
 */
export function replayDivergence(actions: OrchestratorAction[], actionSeqs: number[], history: HistoryEvent[]): string | undefined {
  const scheduled = new Map<number, HistoryEvent>();
  for (const e of history) {
    if (e.EventType === EventType.TaskScheduled || e.EventType === EventType.SubOrchestrationInstanceCreated || e.EventType === EventType.TimerCreated) scheduled.set(e.EventId, e);
  }
  for (let i = 0; i < actionSeqs.length; i++) {
    const event = scheduled.get(actionSeqs[i]);
    if (!event) continue;
    const problem = mismatch(event, actions[i]);
    if (problem) return NON_DETERMINISM_PREFIX + problem;
  }
  return undefined;
}

function mismatch(event: HistoryEvent, action: OrchestratorAction | undefined): string | undefined {
  const seq = event.EventId;
  const produced = action ? ACTION_CLASS[action.actionType] ?? `${ActionType[action.actionType]} action` : undefined;
  switch (event.EventType) {
    case EventType.TaskScheduled:
      if (!action) return `A previous execution of this orchestration scheduled an activity task with sequence ID ${seq} and name '${event.Name}' (version ''), but the current replay execution hasn't (yet?) scheduled this task. ${CHANGED}`;
      if (!isActivity(action)) return `A previous execution of this orchestration scheduled an activity task with sequence number ${seq} named '${event.Name}', but the current orchestration replay instead produced a ${produced} action with this sequence number. ${CHANGED}`;
      if (!sameName(event.Name, action.functionName)) return `A previous execution of this orchestration scheduled an activity task with sequence number ${seq} named '${event.Name}', but the current orchestration replay instead scheduled an activity task named '${action.functionName}' with this sequence number. ${CHANGED}`;
      return undefined;
    case EventType.SubOrchestrationInstanceCreated: {
      const what = `a sub-orchestration task with sequence ID ${seq} and name '${event.Name}' (version '', instance ID '${event.InstanceId}')`;
      if (!action) return `A previous execution of this orchestration scheduled ${what}, but the current replay execution hasn't (yet?) scheduled this task. ${CHANGED}`;
      if (!isSubOrchestration(action)) return `A previous execution of this orchestration scheduled ${what}, but the current orchestration replay instead produced a ${produced} action at this sequence number. ${CHANGED}`;
      if (!sameName(event.Name, action.functionName)) return `A previous execution of this orchestration scheduled ${what}, but the current orchestration replay instead scheduled a sub-orchestration task with name ${action.functionName} at this sequence number. ${CHANGED}`;
      return undefined;
    }
    default:
      if (!action) return `A previous execution of this orchestration scheduled a timer task with sequence number ${seq} but the current replay execution hasn't (yet?) scheduled this task. ${CHANGED}`;
      if (action.actionType !== ActionType.CreateTimer) return `A previous execution of this orchestration scheduled a timer task with sequence number ${seq} named but the current orchestration replay instead produced a ${produced} action with this sequence number. ${CHANGED}`;
      return undefined;
  }
}
