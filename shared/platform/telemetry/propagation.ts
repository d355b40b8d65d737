import { AsyncLocalStorage } from 'node:async_hooks';
import {
  context,
  propagation,
  ROOT_CONTEXT,
  trace,
  TraceFlags,
  type Context,
  type ContextManager,
  type TextMapGetter,
  type TextMapPropagator,
  type TextMapSetter,
} from '@opentelemetry/api';
import { parseTraceparent, startTraceContext, toTraceparent } from './traceContext';

/**
 * The OpenTelemetry context that libraries read (`durable-functions` injects the active span's
 * `traceparent` into its calls to the Durable Task API with `propagation.inject`, so an orchestration
 * started inside `runInTrace` records the caller's trace as its parent, as Durable Task does in Azure).
 *
 * In Azure, Application Insights (`applicationinsights` v3 = Azure Monitor OpenTelemetry) registers the
 * SDK's context manager and W3C propagator; elsewhere `installTracePropagation` registers the two
 * minimal ones below. Their pinned OpenTelemetry packages need Node 22 or an older `@opentelemetry/api`,
 * hence these ~40 lines instead of `@opentelemetry/context-async-hooks` and `@opentelemetry/core`.
 */
class AsyncLocalContextManager implements ContextManager {
  private readonly storage = new AsyncLocalStorage<Context>();
  active(): Context {
    return this.storage.getStore() ?? ROOT_CONTEXT;
  }
  with<A extends unknown[], F extends (...args: A) => ReturnType<F>>(ctx: Context, fn: F, thisArg?: ThisParameterType<F>, ...args: A): ReturnType<F> {
    return this.storage.run(ctx, () => fn.apply(thisArg, args));
  }
  bind<T>(ctx: Context, target: T): T {
    if (typeof target !== 'function') return target;
    const run = (...args: unknown[]) => this.with(ctx, () => (target as (...a: unknown[]) => unknown)(...args));
    return run as T;
  }
  enable(): this {
    return this;
  }
  disable(): this {
    this.storage.disable();
    return this;
  }
}

/** W3C Trace Context (https://www.w3.org/TR/trace-context/) `traceparent` in and out of a carrier. */
class TraceparentPropagator implements TextMapPropagator {
  inject(ctx: Context, carrier: unknown, setter: TextMapSetter): void {
    const span = trace.getSpanContext(ctx);
    if (!span || !trace.isSpanContextValid(span)) return;
    const flags = (span.traceFlags & TraceFlags.SAMPLED).toString(16).padStart(2, '0');
    setter.set(carrier, 'traceparent', toTraceparent({ traceId: span.traceId, spanId: span.spanId, flags }));
  }
  extract(ctx: Context, carrier: unknown, getter: TextMapGetter): Context {
    const raw = getter.get(carrier, 'traceparent');
    const parsed = parseTraceparent(Array.isArray(raw) ? raw[0] : raw);
    if (!parsed) return ctx;
    return trace.setSpanContext(ctx, { traceId: parsed.traceId, spanId: parsed.spanId, traceFlags: parseInt(parsed.flags, 16), isRemote: true });
  }
  fields(): string[] {
    return ['traceparent'];
  }
}

let installed = false;

/**
 * Registers the context manager and propagator above unless an OpenTelemetry SDK already did (the
 * global registration refuses a second one, so Azure Monitor's stay in place). Idempotent.
 */
export function installTracePropagation(): void {
  if (installed) return;
  installed = true;
  context.setGlobalContextManager(new AsyncLocalContextManager());
  propagation.setGlobalPropagator(new TraceparentPropagator());
}

/**
 * Runs `fn` with the span named by `traceparent` as the active OpenTelemetry span, so outgoing calls
 * of instrumented libraries (the durable client) carry it. A malformed `traceparent` runs `fn` as is.
 */
export function runInTrace<T>(traceparent: string | undefined, fn: () => T): T {
  const parsed = parseTraceparent(traceparent);
  if (!parsed) return fn();
  const span = { traceId: parsed.traceId, spanId: parsed.spanId, traceFlags: parseInt(parsed.flags, 16), isRemote: false };
  return context.with(trace.setSpanContext(context.active(), span), fn);
}

/**
 * Runs `fn` in the trace `traceId` (32 hex): under the active span when it already belongs to that
 * trace, else under a new span of it. For work that continues a recorded trace outside the request
 * that recorded it (a retried workflow, a remediation a timer's scan starts).
 */
export function runInTraceId<T>(traceId: string, fn: () => T): T {
  if (trace.getSpanContext(context.active())?.traceId === traceId) return fn();
  const { spanId } = startTraceContext();
  return runInTrace(`00-${traceId}-${spanId}-01`, fn);
}
