import { createHash } from 'node:crypto';
import type { InstanceRow } from './records';

const TRACEPARENT = /^[\da-f]{2}-([\da-f]{32})-[\da-f]{16}-([\da-f]{2})$/i;

/**
 * The W3C traceparent of an orchestration's own span: in the trace its starter recorded (the
 * `ExecutionStarted` event's parent trace context) with a span id fixed per execution, so every
 * orchestrator episode, activity and sub-orchestration of the instance is a child of one span, as
 * Durable Task's distributed tracing (v2) parents them in Azure. `undefined` when the instance has
 * no (valid) recorded trace.
 */
export function orchestrationTraceParent(instance: Pick<InstanceRow, 'instanceId' | 'executionId' | 'traceParent'>): string | undefined {
  const m = TRACEPARENT.exec(instance.traceParent ?? '');
  if (!m) return undefined;
  const spanId = createHash('sha256').update(`${instance.instanceId}\n${instance.executionId}`).digest('hex').slice(0, 16);
  return `00-${m[1].toLowerCase()}-${spanId}-${m[2].toLowerCase()}`;
}
