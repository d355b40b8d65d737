/**
 * durable-functions (3.5.0, the newest) loses a non-Error value an orchestrator throws: its
 * failure message becomes "false" and the state's `error` is empty, so `throw 'oops!'` ends the
 * instance as "… failed: false". The host wraps each orchestrator registered through
 * `df.app.orchestration` so that a thrown non-Error leaves it as an Error carrying the value's
 * text (a string as is, anything else as JSON); Errors and the replay itself are untouched.
 */
type OrchestrationFn = (context: unknown) => unknown;
type Registrar = (name: string, handlerOrOptions: OrchestrationFn | { handler: OrchestrationFn }) => unknown;

export function textOfThrown(value: unknown): string {
  if (typeof value === 'string') return value;
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

function wrapOrchestrator(fn: OrchestrationFn): OrchestrationFn {
  return function* orchestrator(context: unknown): Generator<unknown, unknown, unknown> {
    const inner = fn(context) as Generator<unknown, unknown, unknown> | undefined;
    if (typeof inner?.[Symbol.iterator] !== 'function') return inner;
    try {
      return yield* inner;
    } catch (error) {
      if (error instanceof Error) throw error;
      throw new Error(textOfThrown(error));
    }
  };
}

/** Patches the app's copy of durable-functions (resolved from appDir); a no-op when the app has none. */
export function keepThrownOrchestratorValues(appDir: string): void {
  let appModule: { orchestration?: Registrar & { wrapped?: boolean } };
  try {
    appModule = require(require.resolve('durable-functions/lib/src/app', { paths: [appDir] }));
  } catch {
    return;
  }
  const original = appModule.orchestration;
  if (typeof original !== 'function' || original.wrapped) return;
  const patched: Registrar & { wrapped?: boolean } = (name, handlerOrOptions) => {
    const options = typeof handlerOrOptions === 'function' ? { handler: handlerOrOptions } : handlerOrOptions;
    return original(name, { ...options, handler: wrapOrchestrator(options.handler) });
  };
  patched.wrapped = true;
  appModule.orchestration = patched;
}
