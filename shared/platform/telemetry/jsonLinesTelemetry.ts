import { redact, redactText } from './redact';
import { createSpan } from './span';
import { writeStdoutLine } from './stdoutLines';
import { isEnabled, type LogFields, type LogLevel, type Telemetry } from './telemetry';

/** Options of the JSON-lines adapter. */
export interface JsonLinesOptions {
  /** Lines below this level are dropped (default `info`). */
  level?: LogLevel;
  /** Where each line goes (default: process stdout, the lines of one event-loop turn in one write). */
  write?: (line: string) => void;
  /** Fields every line carries. */
  fields?: LogFields;
}

/**
 * Telemetry as one JSON object per line: `{ time, level, message, ...fields }`. Events are
 * `message: 'event'` lines with `event: name`; spans are `message: 'span'` lines with `durationMs`.
 */
export function createJsonLinesTelemetry(options: JsonLinesOptions = {}): Telemetry {
  const minimum = options.level ?? 'info';
  const write = options.write ?? writeStdoutLine;
  const base = options.fields ?? {};

  const emit = (level: LogLevel, message: string, fields: LogFields = {}): void => {
    if (!isEnabled(level, minimum)) return;
    const record = redact({ ...base, ...fields }) as LogFields;
    write(`${JSON.stringify({ time: new Date().toISOString(), level, message: redactText(message), ...record })}\n`);
  };

  return {
    log: emit,
    trackEvent: (name, properties) => emit('info', 'event', { event: name, ...properties }),
    trackException: (error, fields) => emit('error', error instanceof Error ? error.message : 'non-error thrown', { ...fields, error }),
    startSpan: (name, spanOptions = {}) =>
      createSpan(name, spanOptions, (span) =>
        emit(span.ok ? 'info' : 'warn', 'span', {
          span: span.name,
          traceId: span.traceId,
          spanId: span.spanId,
          parentSpanId: span.parentSpanId,
          durationMs: span.durationMs,
          ok: span.ok,
          ...span.fields,
        }),
      ),
    child: (fields) => createJsonLinesTelemetry({ ...options, fields: { ...base, ...fields } }),
    flush: async () => undefined,
  };
}
