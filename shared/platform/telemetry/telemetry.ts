/** Severity of a log line, lowest first. */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

/** Ordered levels, for "at least" comparisons. */
export const LOG_LEVELS: readonly LogLevel[] = ['debug', 'info', 'warn', 'error'];

/** Structured fields attached to a log line, event or span (redacted before they leave the process). */
export type LogFields = Record<string, unknown>;

/** A timed unit of work inside a trace. */
export interface Span {
  readonly name: string;
  readonly traceId: string;
  readonly spanId: string;
  /** `traceparent` value naming this span as parent, for outgoing messages and calls. */
  readonly traceparent: string;
  /** Ends the span and reports its duration; `ok: false` marks it failed. Later calls are ignored. */
  end(outcome?: { ok?: boolean; fields?: LogFields }): void;
}

/**
 * The telemetry port: structured logs, named business events, exceptions and spans. Adapters:
 * JSON lines on stdout (default) and Application Insights. Every adapter redacts secrets.
 */
export interface Telemetry {
  log(level: LogLevel, message: string, fields?: LogFields): void;
  trackEvent(name: string, properties?: LogFields): void;
  trackException(error: unknown, fields?: LogFields): void;
  /** Starts a span; pass the incoming `traceparent` to join its trace, otherwise a new trace starts. */
  startSpan(name: string, options?: { traceparent?: string; fields?: LogFields }): Span;
  /** A telemetry whose every record also carries `fields` (e.g. `{ traceId, tenantId }`). */
  child(fields: LogFields): Telemetry;
  /** Sends anything buffered. */
  flush(): Promise<void>;
}

/** True when `level` is at or above `minimum`. */
export function isEnabled(level: LogLevel, minimum: LogLevel): boolean {
  return LOG_LEVELS.indexOf(level) >= LOG_LEVELS.indexOf(minimum);
}
