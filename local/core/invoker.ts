import { randomUUID } from 'node:crypto';
import type { FunctionRegistry } from './coreApi';
import type { RegisteredFunction, RpcInvocationResponse, RpcLogLevel, RpcTypedData } from './types';
import type { HostLogger } from '../logger';

/** What a trigger hands to one invocation, in the worker's RPC shapes. */
export interface InvocationInput {
  triggerData: RpcTypedData;
  triggerMetadata?: Record<string, RpcTypedData>;
  /** W3C traceparent of the parent span; the invocation runs in a new child span of it (a new trace when absent). */
  traceParent?: string;
  /** Skip the conversion of the return value and outputs (durable triggers read the raw result). */
  rawResult?: boolean;
  /**
   * A cheaper conversion the trigger can do itself for some results (plain HTTP responses); when it
   * returns a value, the library's conversion is skipped and the value comes back as `shortcut`.
   */
  shortcut?: (raw: unknown) => unknown;
}

export interface InvocationOutcome {
  invocationId: string;
  traceId: string;
  /** The handler's own return value, before any conversion. */
  raw: unknown;
  response?: RpcInvocationResponse;
  shortcut?: unknown;
}

/** Supplies the value of an input binding (e.g. the durable client) for one invocation. */
export type InputBindingProvider = (fn: RegisteredFunction, bindingName: string) => RpcTypedData | undefined;

/** Receives an output binding's value after a successful invocation. */
export type OutputBindingSink = (
  fn: RegisteredFunction,
  bindingName: string,
  data: RpcTypedData,
  invocationId: string,
  bindingData: Record<string, unknown>,
) => Promise<void> | void;

/**
 * The values binding expressions such as `{name}` resolve to, as the Functions host collects them:
 * top-level scalar properties of a JSON trigger payload, HTTP route and query parameters, and
 * trigger metadata. Keys are lower case (lookups are case-insensitive).
 */
export function toBindingData(input: InvocationInput): Record<string, unknown> {
  const data: Record<string, unknown> = {};
  const put = (key: string, value: unknown) => {
    if (value !== null && value !== undefined && !Array.isArray(value)) data[key.toLowerCase()] = value;
  };
  if (input.triggerData.http) {
    for (const [k, v] of Object.entries(input.triggerData.http.query ?? {})) put(k, v);
    for (const [k, v] of Object.entries(input.triggerData.http.params ?? {})) put(k, v);
  } else {
    let payload = fromTypedData(input.triggerData);
    if (typeof payload === 'string') {
      try {
        payload = JSON.parse(payload);
      } catch {
        /* not JSON: no properties */
      }
    }
    if (payload && typeof payload === 'object' && !Buffer.isBuffer(payload) && !Array.isArray(payload)) {
      for (const [k, v] of Object.entries(payload)) put(k, v);
    }
  }
  for (const [k, v] of Object.entries(input.triggerMetadata ?? {})) put(k, fromTypedData(v));
  return data;
}

/** A new W3C traceparent (randomUUID draws from a buffered pool: cheaper than randomBytes per call). */
export function newTraceParent(traceId = randomUUID().replace(/-/g, '')): string {
  return `00-${traceId}-${randomUUID().replace(/-/g, '').slice(0, 16)}-01`;
}

/**
 * The span of one invocation: in the trace of `parent` (a W3C traceparent) with a new span id whose
 * parent is `parent`'s span, as the Functions host starts an Activity per invocation; a new trace
 * when `parent` is absent or malformed.
 */
export function invocationSpan(parent: string | undefined): { traceParent: string; traceId: string; spanId: string; parentSpanId?: string } {
  const found = /^[\da-f]{2}-([\da-f]{32})-([\da-f]{16})-([\da-f]{2})$/i.exec(parent ?? '');
  // W3C: an all-zero trace or span id is invalid, and the caller's context is then ignored.
  const m = found && !/^0+$/.test(found[1]) && !/^0+$/.test(found[2]) ? found : null;
  const traceParent = m ? `00-${m[1].toLowerCase()}-${randomUUID().replace(/-/g, '').slice(0, 16)}-${m[3].toLowerCase()}` : newTraceParent();
  const [, traceId, spanId] = traceParent.split('-');
  return { traceParent, traceId, spanId, ...(m ? { parentSpanId: m[2].toLowerCase() } : {}) };
}

export function traceIdOf(traceParent: string | undefined): string | undefined {
  const m = /^[\da-f]{2}-([\da-f]{32})-[\da-f]{16}-[\da-f]{2}$/i.exec(traceParent ?? '');
  return m ? m[1].toLowerCase() : undefined;
}

/**
 * Runs one function invocation through the app's own programming model, exactly as the Node
 * worker does: RPC invocation request → `getArguments` → handler → `getResponse`.
 */
export class Invoker {
  constructor(
    private readonly registry: FunctionRegistry,
    private readonly logger: HostLogger,
    private readonly inputs: Map<string, InputBindingProvider>,
    private readonly outputs: Map<string, OutputBindingSink>,
  ) {}

  async invoke(fn: RegisteredFunction, input: InvocationInput): Promise<InvocationOutcome> {
    const model = this.registry.programmingModel;
    if (!model) throw new Error('The app did not set a programming model (is @azure/functions loaded?)');
    const invocationId = randomUUID();
    const { traceParent, ...span } = invocationSpan(input.traceParent);
    const traceId = span.traceId;
    const inputData = [{ name: fn.triggerName, data: input.triggerData }];
    for (const [name, binding] of Object.entries(fn.metadata.bindings)) {
      if (name === fn.triggerName || binding.direction !== 'in') continue;
      const data = this.inputs.get(binding.type.toLowerCase())?.(fn, name);
      if (data !== undefined) inputData.push({ name, data });
    }
    const coreContext = {
      invocationId,
      metadata: fn.metadata,
      state: 'invocation',
      request: {
        invocationId,
        functionId: fn.metadata.name,
        inputData,
        triggerMetadata: input.triggerMetadata ?? {},
        traceContext: { traceParent, traceState: '', attributes: {} },
      },
      log: (level: RpcLogLevel, category: 'user' | 'system', message: string) =>
        this.logger.user(level, { function: fn.metadata.name, invocationId, traceId, category, message }),
    };
    const started = process.hrtime.bigint();
    const elapsed = () => Number(process.hrtime.bigint() - started) / 1e6;
    try {
      const invocationModel = model.getInvocationModel(coreContext);
      const { context, inputs } = await invocationModel.getArguments();
      await this.registry.runHooks('preInvocation', { invocationContext: context, inputs, functionCallback: fn.handler, hookData: {} });
      const raw = await invocationModel.invokeFunction(context, inputs, fn.handler);
      await this.registry.runHooks('postInvocation', { invocationContext: context, inputs, result: raw, hookData: {} });
      let response: RpcInvocationResponse | undefined;
      const shortcut = input.shortcut?.(raw);
      if (shortcut !== undefined) {
        this.logger.invocation({ function: fn.metadata.name, invocationId, ...span, durationMs: elapsed(), outcome: 'Succeeded' });
        return { invocationId, traceId, raw, shortcut };
      }
      if (!input.rawResult) {
        response = await invocationModel.getResponse(context, raw);
        const bindingData = toBindingData(input);
        const returnBinding = fn.metadata.bindings.$return;
        const returnSink = returnBinding && returnBinding.type.toLowerCase() !== 'http' ? this.outputs.get(returnBinding.type.toLowerCase()) : undefined;
        if (returnSink && response.returnValue) await returnSink(fn, '$return', response.returnValue, invocationId, bindingData);
        for (const out of response.outputData ?? []) {
          const binding = fn.metadata.bindings[out.name];
          const sink = binding && this.outputs.get(binding.type.toLowerCase());
          if (sink && out.data) await sink(fn, out.name, out.data, invocationId, bindingData);
        }
      }
      this.logger.invocation({ function: fn.metadata.name, invocationId, ...span, durationMs: elapsed(), outcome: 'Succeeded' });
      return { invocationId, traceId, raw, response };
    } catch (error) {
      this.logger.invocation({
        function: fn.metadata.name,
        invocationId,
        ...span,
        durationMs: elapsed(),
        outcome: 'Failed',
        error: failureText(error),
      });
      throw error;
    }
  }
}

/** The message of a failure; for a failed orchestrator, the error inside the state it carries. */
function failureText(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  const marker = text.indexOf('$OutOfProcData$:');
  if (marker >= 0) {
    try {
      const state = JSON.parse(text.slice(marker + '$OutOfProcData$:'.length)) as { error?: string };
      if (state.error) return state.error;
    } catch {
      /* fall back to the first line */
    }
  }
  return text.split('\n')[0];
}

/** Reads a value back out of the RPC typed data the programming model produced. */
export function fromTypedData(data: RpcTypedData | null | undefined): unknown {
  if (!data) return undefined;
  if (data.string !== undefined && data.string !== null) return data.string;
  if (data.json !== undefined && data.json !== null) return JSON.parse(data.json);
  if (data.bytes) return Buffer.from(data.bytes);
  if (data.stream) return Buffer.from(data.stream);
  if (data.int !== undefined && data.int !== null) return data.int;
  if (data.double !== undefined && data.double !== null) return data.double;
  return undefined;
}

/** Wraps a plain value as RPC typed data, the way the host passes JSON payloads to the worker. */
export function jsonTypedData(value: unknown): RpcTypedData {
  return { json: JSON.stringify(value === undefined ? null : value) };
}
