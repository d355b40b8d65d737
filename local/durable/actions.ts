/**
 * The actions an orchestrator returns (durable-functions `OrchestratorState.actions`), flattened
 * into the order in which the replay code numbers them.
 */
export enum ActionType {
  CallActivity = 0,
  CallActivityWithRetry = 1,
  CallSubOrchestrator = 2,
  CallSubOrchestratorWithRetry = 3,
  ContinueAsNew = 4,
  CreateTimer = 5,
  WaitForExternalEvent = 6,
  CallEntity = 7,
  CallHttp = 8,
  SignalEntity = 9,
  WhenAny = 11,
  WhenAll = 12,
}

export interface RetryOptionsShape {
  firstRetryIntervalInMilliseconds: number;
  maxNumberOfAttempts: number;
  backoffCoefficient?: number;
  maxRetryIntervalInMilliseconds?: number;
  retryTimeoutInMilliseconds?: number;
}

export interface OrchestratorAction {
  actionType: ActionType;
  functionName?: string;
  input?: unknown;
  instanceId?: string;
  retryOptions?: RetryOptionsShape;
  fireAt?: Date;
  isCanceled?: boolean;
  compoundActions?: OrchestratorAction[];
}

export interface OrchestratorStateShape {
  isDone: boolean;
  actions: OrchestratorAction[][] | OrchestratorAction[];
  output?: unknown;
  error?: string;
  customStatus?: unknown;
}

/**
 * The scheduling actions (everything but external-event waits) in the order the orchestrator
 * created them. The same action object can appear again inside a later Task.all/any; it counts once.
 */
export function flattenActions(state: OrchestratorStateShape): OrchestratorAction[] {
  const seen = new Set<OrchestratorAction>();
  const out: OrchestratorAction[] = [];
  const visit = (a: OrchestratorAction) => {
    if (!a || seen.has(a)) return;
    seen.add(a);
    if (a.actionType === ActionType.WhenAll || a.actionType === ActionType.WhenAny) {
      for (const child of a.compoundActions ?? []) visit(child);
    } else if (a.actionType !== ActionType.WaitForExternalEvent) {
      out.push(a);
    }
  };
  for (const group of state.actions ?? []) {
    if (Array.isArray(group)) group.forEach(visit);
    else visit(group);
  }
  return out;
}

/** Activity and continue-as-new inputs arrive JSON-encoded when they are strings, raw otherwise. */
export function inputText(input: unknown, alreadyEncodedStrings: boolean): string | null {
  if (input === undefined) return null;
  if (typeof input === 'string' && alreadyEncodedStrings) return input;
  return JSON.stringify(input);
}

/** The delay before retry attempt `failedAttempt + 1`, as the Durable Task retry interceptor computes it. */
export function retryDelayMs(failedAttempt: number, firstIntervalMs: number, backoff: number, maxIntervalMs: number): number {
  const delay = firstIntervalMs * Math.pow(backoff || 1, failedAttempt - 1);
  return maxIntervalMs > 0 ? Math.min(delay, maxIntervalMs) : delay;
}

const OUT_OF_PROC_MARKER = '$OutOfProcData$:';

/** Pulls the orchestrator state out of the error durable-functions throws when an orchestrator fails. */
export function stateFromFailure(error: unknown): { state?: OrchestratorStateShape; message: string } {
  const text = error instanceof Error ? error.message : String(error);
  const at = text.indexOf(OUT_OF_PROC_MARKER);
  if (at >= 0) {
    try {
      const state = JSON.parse(text.slice(at + OUT_OF_PROC_MARKER.length)) as OrchestratorStateShape;
      return { state, message: state.error ?? text.slice(0, at).trim() };
    } catch {
      /* fall through */
    }
  }
  return { message: text };
}
