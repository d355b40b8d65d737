import { app } from '@azure/functions';
import * as df from 'durable-functions';
import type { OrchestrationContext } from 'durable-functions';

// The benchmark app: trivial activities and orchestrations that stress one engine path each.
// Orchestrations are started through the durable HTTP API (POST /runtime/webhooks/durabletask/
// orchestrators/{name}/{id}), so no starter function sits in the measured path.

const noop = df.app.activity('Noop', { handler: (n: number) => n });

/** Wall-clock time (epoch ms) at which the activity ran; the latency row reads it back. */
const stamp = df.app.activity('Stamp', { handler: () => Date.now() });

df.app.orchestration('Sequence', function* (context: OrchestrationContext) {
  const { steps } = context.df.getInput() as { steps: number };
  let sum = 0;
  for (let i = 0; i < steps; i++) sum += (yield noop(i)) as number;
  return sum;
});

df.app.orchestration('FanOut', function* (context: OrchestrationContext) {
  const { count } = context.df.getInput() as { count: number };
  const tasks = [];
  for (let i = 0; i < count; i++) tasks.push(noop(i));
  const results = (yield context.df.Task.all(tasks)) as number[];
  return results.length;
});

df.app.orchestration('Events', function* (context: OrchestrationContext) {
  const { count } = context.df.getInput() as { count: number };
  let received = 0;
  for (let i = 0; i < count; i++) {
    yield context.df.waitForExternalEvent('Tick');
    received++;
  }
  return received;
});

df.app.orchestration('FirstActivity', function* () {
  return yield stamp();
});

/** Builds a long history, then waits `rounds` times; each event makes one replay of the whole history. */
df.app.orchestration('LongHistory', function* (context: OrchestrationContext) {
  const { steps, rounds } = context.df.getInput() as { steps: number; rounds: number };
  for (let i = 0; i < steps; i++) yield noop(i);
  for (let r = 0; r < rounds; r++) {
    context.df.setCustomStatus(`waiting ${r}`);
    yield context.df.waitForExternalEvent('Again');
  }
  return steps;
});

/** A point read as small as it gets: the HTTP row compares it with a bare node:http server. */
app.http('Item', {
  route: 'items/{id}',
  methods: ['GET'],
  authLevel: 'anonymous',
  handler: (request) => ({ jsonBody: { id: request.params.id, name: `item ${request.params.id}` } }),
});
