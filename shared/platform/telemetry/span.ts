import { parseTraceparent, startTraceContext, toTraceparent } from './traceContext';
import type { LogFields, Span } from './telemetry';

/** What a finished span reports to its adapter. */
export interface FinishedSpan {
  name: string;
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  startTime: Date;
  durationMs: number;
  ok: boolean;
  fields: LogFields;
}

/** A span that calls `onEnd` once with its timing; shared by every telemetry adapter. */
export function createSpan(
  name: string,
  options: { traceparent?: string; fields?: LogFields },
  onEnd: (span: FinishedSpan) => void,
): Span {
  const parent = parseTraceparent(options.traceparent);
  const context = startTraceContext(parent);
  const startTime = new Date();
  const started = performance.now();
  let ended = false;
  return {
    name,
    traceId: context.traceId,
    spanId: context.spanId,
    traceparent: toTraceparent(context),
    end(outcome = {}) {
      if (ended) return;
      ended = true;
      onEnd({
        name,
        traceId: context.traceId,
        spanId: context.spanId,
        ...(parent ? { parentSpanId: parent.spanId } : {}),
        startTime,
        durationMs: Math.round((performance.now() - started) * 1000) / 1000,
        ok: outcome.ok ?? true,
        fields: { ...options.fields, ...outcome.fields },
      });
    },
  };
}
