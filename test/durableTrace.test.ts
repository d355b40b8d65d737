import { eventually, fixtureApp, HostProcess, spawnHost, withKey } from './support/hostProcess';
import { CheckStatus, getStatus, waitForCompletion } from './support/durableClient';

jest.setTimeout(180_000);

interface InvocationLine {
  message: string;
  function: string;
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  outcome: string;
}

const TRACE = '4bf92f3577b34da6a3ce929d0e0e4736';
const hex16 = () => Math.random().toString(16).slice(2, 10).padEnd(8, '0') + Math.random().toString(16).slice(2, 10).padEnd(8, '0');

/**
 * One trace through an orchestration on the local host: the starter's `traceparent` (what the
 * durable client sends from inside a traced request) is recorded with the instance, and every
 * orchestrator episode, activity and sub-orchestration of the instance runs in that trace, each
 * invocation a new span under the orchestration's span.
 */
describe('trace context of orchestrations on the local host', () => {
  let host: HostProcess;
  beforeAll(async () => {
    host = await spawnHost(fixtureApp('app'));
  });
  afterAll(() => host?.stop());

  const invocations = (traceId: string): InvocationLine[] =>
    host.output
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as InvocationLine)
      .filter((line) => line.message === 'invocation' && line.traceId === traceId);

  /** Starts `name` through the Durable Task HTTP API as the durable client does, with a `traceparent` header. */
  async function startTraced(name: string, input: unknown, traceparent: string, instanceId = ''): Promise<CheckStatus> {
    const res = await fetch(`${host.origin}/runtime/webhooks/durabletask/orchestrators/${name}${instanceId ? `/${instanceId}` : ''}`, {
      method: 'POST',
      headers: withKey(host.systemKey, { traceparent, 'content-type': 'application/json' }),
      body: JSON.stringify(input),
    });
    expect(res.status).toBe(202);
    return (await res.json()) as CheckStatus;
  }

  const historyOf = async (started: CheckStatus, instanceId = started.id) => {
    const uri = started.statusQueryGetUri.replace(encodeURIComponent(started.id), encodeURIComponent(instanceId));
    return ((await getStatus(`${uri}&showHistory=true`)).body.history ?? []) as { EventType: string; ParentTraceContext?: { TraceParent: string } }[];
  };

  it('runs every orchestrator, activity and sub-orchestration invocation in the starter trace, each a new span under its orchestration', async () => {
    const starterSpan = hex16();
    const traceparent = `00-${TRACE}-${starterSpan}-01`;
    const instanceId = `traced-parent-${hex16()}`;
    const started = await startTraced('Parent', null, traceparent, instanceId);
    const done = await waitForCompletion(started.statusQueryGetUri);
    expect(done.runtimeStatus).toBe('Completed');

    const lines = invocations(TRACE);
    const byFunction = (name: string) => lines.filter((l) => l.function === name);
    expect(byFunction('Parent').length).toBeGreaterThanOrEqual(2);
    expect(byFunction('Child').length).toBeGreaterThanOrEqual(4);
    expect(byFunction('SayHello').length).toBeGreaterThanOrEqual(3);
    // A new span per invocation; every episode of the parent is a child of one orchestration span.
    expect(new Set(lines.map((l) => l.spanId)).size).toBe(lines.length);
    const parentSpans = new Set(byFunction('Parent').map((l) => l.parentSpanId));
    expect(parentSpans.size).toBe(1);
    const orchestrationSpan = [...parentSpans][0]!;
    expect(orchestrationSpan).toMatch(/^[0-9a-f]{16}$/);
    expect(orchestrationSpan).not.toBe(starterSpan);

    // The instance records its starter's trace context, as Durable Task's ExecutionStarted event does.
    const parentStart = (await historyOf(started)).find((e) => e.EventType === 'ExecutionStarted');
    expect(parentStart?.ParentTraceContext?.TraceParent).toBe(traceparent);
    // A sub-orchestration's parent is the parent orchestration's span; its own invocations are children of its span.
    const childStart = (await historyOf(started, `${instanceId}-oslo`)).find((e) => e.EventType === 'ExecutionStarted');
    expect(childStart?.ParentTraceContext?.TraceParent).toBe(`00-${TRACE}-${orchestrationSpan}-01`);
    const childSpans = new Set(byFunction('Child').map((l) => l.parentSpanId));
    expect(childSpans.has(orchestrationSpan)).toBe(false);
    for (const line of byFunction('SayHello')) expect([...childSpans]).toContain(line.parentSpanId);
  });

  it('keeps the trace across a timer and an external event raised without any trace', async () => {
    const traceId = TRACE.replace(/^4bf9/, 'a11e');
    const waiting = await startTraced('ApprovalWithTimeout', { timeoutMs: 600_000 }, `00-${traceId}-${hex16()}-01`);
    await eventually(async () => (((await getStatus(waiting.statusQueryGetUri)).body.customStatus as { stage?: string } | null)?.stage === 'waiting' ? true : undefined), 60_000, 'the wait');
    const raised = await fetch(waiting.sendEventPostUri.replace('{eventName}', 'Approval'), { method: 'POST', headers: { 'content-type': 'application/json' }, body: '"yes"' });
    expect(raised.status).toBe(202);
    expect((await waitForCompletion(waiting.statusQueryGetUri)).output).toEqual({ decision: 'yes' });

    const timedTrace = TRACE.replace(/^4bf9/, 'b22f');
    const timed = await startTraced('ApprovalWithTimeout', { timeoutMs: 200 }, `00-${timedTrace}-${hex16()}-01`);
    expect((await waitForCompletion(timed.statusQueryGetUri)).output).toEqual({ decision: 'timeout' });

    for (const trace of [traceId, timedTrace]) {
      const lines = invocations(trace).filter((l) => l.function === 'ApprovalWithTimeout');
      expect(lines.length).toBeGreaterThanOrEqual(2); // the start, then the episode the event or the timer woke
      expect(new Set(lines.map((l) => l.parentSpanId)).size).toBe(1);
    }
  });

  it('starts a new trace for an instance whose starter sent none, and keeps it for all its invocations', async () => {
    const res = await fetch(`${host.origin}/runtime/webhooks/durabletask/orchestrators/HelloSequence`, { method: 'POST', headers: withKey(host.systemKey), body: '' });
    expect(res.status).toBe(202);
    const started = (await res.json()) as CheckStatus;
    await waitForCompletion(started.statusQueryGetUri);
    const start = (await historyOf(started)).find((e) => e.EventType === 'ExecutionStarted');
    const traceId = start?.ParentTraceContext?.TraceParent.split('-')[1];
    expect(traceId).toMatch(/^[0-9a-f]{32}$/);
    const lines = invocations(traceId!);
    expect(lines.filter((l) => l.function === 'SayHello')).toHaveLength(3);
    expect(lines.some((l) => l.function === 'HelloSequence')).toBe(true);
  });
});

