/**
 * Durable Task history events in the JSON shape the durable-functions replay code reads
 * (PascalCase fields, numeric EventType), and the friendly form the status API shows.
 */
export enum EventType {
  ExecutionStarted = 0,
  ExecutionCompleted = 1,
  ExecutionFailed = 2,
  ExecutionTerminated = 3,
  TaskScheduled = 4,
  TaskCompleted = 5,
  TaskFailed = 6,
  SubOrchestrationInstanceCreated = 7,
  SubOrchestrationInstanceCompleted = 8,
  SubOrchestrationInstanceFailed = 9,
  TimerCreated = 10,
  TimerFired = 11,
  OrchestratorStarted = 12,
  OrchestratorCompleted = 13,
  EventSent = 14,
  EventRaised = 15,
  ContinueAsNew = 16,
  GenericEvent = 17,
  HistoryState = 18,
  ExecutionSuspended = 19,
  ExecutionResumed = 20,
}

export interface HistoryEvent {
  EventType: EventType;
  EventId: number;
  IsPlayed: boolean;
  Timestamp: string;
  Name?: string;
  Input?: string | null;
  Result?: string | null;
  Reason?: string;
  Details?: string;
  TaskScheduledId?: number;
  TimerId?: number;
  FireAt?: string;
  InstanceId?: string;
  OrchestrationStatus?: string;
  /** On `ExecutionStarted`: the W3C trace context of what started the instance. */
  ParentTraceContext?: { TraceParent: string; TraceState: string | null };
}

export function historyEvent(type: EventType, fields: Partial<HistoryEvent> = {}, at = new Date()): HistoryEvent {
  return { EventType: type, EventId: -1, IsPlayed: false, Timestamp: at.toISOString(), ...fields };
}

/** The `history` array of the status API: scheduling joined to completion, as the extension shows it. */
export function toFriendlyHistory(events: HistoryEvent[], showOutput: boolean): Record<string, unknown>[] {
  const scheduled = new Map<number, HistoryEvent>();
  const out: Record<string, unknown>[] = [];
  for (const e of events) {
    switch (e.EventType) {
      case EventType.TaskScheduled:
      case EventType.SubOrchestrationInstanceCreated:
      case EventType.TimerCreated:
        scheduled.set(e.EventId, e);
        break;
      case EventType.ExecutionStarted:
        out.push({ EventType: 'ExecutionStarted', FunctionName: e.Name, Timestamp: e.Timestamp, ...(e.ParentTraceContext ? { ParentTraceContext: e.ParentTraceContext } : {}), ...(showOutput ? { Input: parse(e.Input) } : {}) });
        break;
      case EventType.ExecutionCompleted:
        out.push({ EventType: 'ExecutionCompleted', OrchestrationStatus: e.OrchestrationStatus, Timestamp: e.Timestamp, ...(showOutput ? { Result: parse(e.Result) } : {}) });
        break;
      case EventType.TaskCompleted:
      case EventType.TaskFailed:
      case EventType.SubOrchestrationInstanceCompleted:
      case EventType.SubOrchestrationInstanceFailed: {
        const origin = scheduled.get(e.TaskScheduledId ?? -1);
        out.push({
          EventType: EventType[e.EventType],
          FunctionName: origin?.Name,
          ...(origin?.InstanceId ? { InstanceId: origin.InstanceId } : {}),
          ScheduledTime: origin?.Timestamp,
          Timestamp: e.Timestamp,
          ...(e.Reason ? { Reason: e.Reason } : {}),
          ...(showOutput && e.Result !== undefined ? { Result: parse(e.Result) } : {}),
        });
        break;
      }
      case EventType.TimerFired:
        out.push({ EventType: 'TimerFired', FireAt: e.FireAt, ScheduledTime: scheduled.get(e.TimerId ?? -1)?.Timestamp, Timestamp: e.Timestamp });
        break;
      case EventType.EventRaised:
        out.push({ EventType: 'EventRaised', Name: e.Name, Timestamp: e.Timestamp, ...(showOutput ? { Input: parse(e.Input) } : {}) });
        break;
      case EventType.ExecutionTerminated:
      case EventType.ExecutionSuspended:
      case EventType.ExecutionResumed:
      case EventType.ContinueAsNew:
        out.push({ EventType: EventType[e.EventType], Timestamp: e.Timestamp, ...(e.Reason ? { Reason: e.Reason } : {}) });
        break;
      default:
        break;
    }
  }
  return out;
}

export function parse(json: string | null | undefined): unknown {
  if (json === null || json === undefined || json === '') return null;
  try {
    return JSON.parse(json);
  } catch {
    return json;
  }
}
