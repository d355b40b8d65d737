import { redactInto, redactText } from './redact';
import { createSpan } from './span';
import { writeStdoutLine } from './stdoutLines';
import { isEnabled, type LogFields, type LogLevel, type Telemetry } from './telemetry';

const NO_FIELDS: LogFields = {};
let isoMs = Number.NaN;
let isoText = '';

/** `new Date().toISOString()`, formatted once per millisecond (many lines share one under load). */
function isoNow(): string {
  const now = Date.now();
  if (now !== isoMs) {
    isoMs = now;
    isoText = new Date(now).toISOString();
  }
  return isoText;
}

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

  // The line is `{ time, level, message, ...redact({ ...base, ...fields }) }`, built in one object.
  const emit = (level: LogLevel, message: string, fields: LogFields = NO_FIELDS, more: LogFields = NO_FIELDS): void => {
    if (!isEnabled(level, minimum)) return;
    const line = redactInto({ time: isoNow(), level, message: redactText(message) }, base, fields, more);
    write(`${JSON.stringify(line)}\n`);
  };

  return {
    log: (level, message, fields) => emit(level, message, fields),
    trackEvent: (name, properties) => emit('info', 'event', { event: name, ...properties }),
    trackException: (error, fields) => emit('error', error instanceof Error ? error.message : 'non-error thrown', { ...fields, error }),
    startSpan: (name, spanOptions = {}) =>
      createSpan(name, spanOptions, (span) =>
        emit(
          span.ok ? 'info' : 'warn',
          'span',
          { span: span.name, traceId: span.traceId, spanId: span.spanId, parentSpanId: span.parentSpanId, durationMs: span.durationMs, ok: span.ok },
          span.fields,
        ),
      ),
    child: (fields) => createJsonLinesTelemetry({ ...options, fields: { ...base, ...fields } }),
    flush: async () => undefined,
  };
}
