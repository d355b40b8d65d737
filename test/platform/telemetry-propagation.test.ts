import { context, propagation } from '@opentelemetry/api';
import { installTracePropagation, runInTrace, runInTraceId } from '../../shared/platform/telemetry/propagation';
import { invocationSpan } from '../../local/core/invoker';

/** What `durable-functions`' client sends with a call to the Durable Task API (its getDistributedTracingHeaders). */
function outgoingHeaders(): Record<string, string> {
  const headers: Record<string, string> = {};
  propagation.inject(context.active(), headers);
  return headers;
}

describe('trace propagation into libraries (the durable client)', () => {
  beforeAll(() => installTracePropagation());

  const parent = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';

  it('injects the active span as traceparent, across awaits and timers, and nothing outside it', async () => {
    expect(outgoingHeaders()).toEqual({});
    const seen = await runInTrace(parent, async () => {
      await new Promise((resolve) => setTimeout(resolve, 5));
      await Promise.resolve();
      return outgoingHeaders();
    });
    expect(seen).toEqual({ traceparent: parent });
    expect(outgoingHeaders()).toEqual({});
  });

  it('keeps concurrent traces apart', async () => {
    const other = '00-11111111111111111111111111111111-2222222222222222-01';
    const [a, b] = await Promise.all([
      runInTrace(parent, async () => (await new Promise((r) => setTimeout(r, 10)), outgoingHeaders())),
      runInTrace(other, async () => (await new Promise((r) => setTimeout(r, 1)), outgoingHeaders())),
    ]);
    expect(a.traceparent).toBe(parent);
    expect(b.traceparent).toBe(other);
  });

  it('runs the function as is for a malformed traceparent', () => {
    expect(runInTrace('00-zz-not-a-trace', () => outgoingHeaders())).toEqual({});
    expect(runInTrace(undefined, () => 42)).toBe(42);
  });
});

describe('the span of one host invocation', () => {
  it('continues the parent trace with a new span whose parent is the caller', () => {
    const span = invocationSpan('00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01');
    expect(span.traceId).toBe('0af7651916cd43dd8448eb211c80319c');
    expect(span.parentSpanId).toBe('b7ad6b7169203331');
    expect(span.spanId).toMatch(/^[0-9a-f]{16}$/);
    expect(span.spanId).not.toBe('b7ad6b7169203331');
    expect(span.traceParent).toBe(`00-0af7651916cd43dd8448eb211c80319c-${span.spanId}-01`);
  });

  it('starts a new trace without a (valid) parent', () => {
    for (const parent of [undefined, 'garbage', '00-00000000000000000000000000000000-b7ad6b7169203331-01', '00-0af7651916cd43dd8448eb211c80319c-0000000000000000-01']) {
      const span = invocationSpan(parent);
      expect(span.traceId).toMatch(/^[0-9a-f]{32}$/);
      expect(span.parentSpanId).toBeUndefined();
    }
  });
});

describe('continuing a recorded trace', () => {
  beforeAll(() => installTracePropagation());
  const traceId = '0af7651916cd43dd8448eb211c80319c';

  it('keeps the active span when it is already in the trace, and starts a span of the trace otherwise', () => {
    const parent = `00-${traceId}-b7ad6b7169203331-01`;
    expect(runInTrace(parent, () => runInTraceId(traceId, () => outgoingHeaders()))).toEqual({ traceparent: parent });
    const outside = runInTrace('00-11111111111111111111111111111111-2222222222222222-01', () => runInTraceId(traceId, () => outgoingHeaders()));
    expect(outside.traceparent).toMatch(new RegExp(`^00-${traceId}-[0-9a-f]{16}-01$`));
    expect(runInTraceId(traceId, () => outgoingHeaders()).traceparent).toMatch(new RegExp(`^00-${traceId}-`));
  });
});
