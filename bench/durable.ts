import Database from 'better-sqlite3';
import path from 'node:path';
import { Child } from './children';
import { DurableApi, pool, sleep } from './client';

// The durable rows. Every scenario starts its orchestrations through the durable HTTP API and
// detects completion by polling the instance list (10 ms), so a rate's wall time runs from just
// before the first start to the first poll that sees no instance pending or running.

const range = (n: number) => Array.from({ length: n }, (_, i) => i);
let run = 0;
const prefix = (kind: string) => `${kind}-${++run}-`;

export interface Rate {
  count: number;
  seconds: number;
  perSecond: number;
}

const rate = (count: number, startedAt: number, doneAt: number): Rate => {
  const seconds = (doneAt - startedAt) / 1000;
  return { count, seconds, perSecond: count / seconds };
};

/** `orchestrations` instances in parallel, each calling a trivial activity `steps` times in sequence. */
export async function sequentialActivities(host: Child, orchestrations: number, steps: number): Promise<Rate> {
  const api = new DurableApi(host.origin);
  const p = prefix('seq');
  const t0 = Date.now();
  await Promise.all(range(orchestrations).map((i) => api.start('Sequence', p + i, { steps })));
  return rate(orchestrations * steps, t0, await api.waitAllDone(p, 120_000));
}

/** `orchestrations` instances in parallel, each awaiting Task.all over `count` trivial activities. */
export async function fanOutActivities(host: Child, orchestrations: number, count: number): Promise<Rate> {
  const api = new DurableApi(host.origin);
  const p = prefix('fan');
  const t0 = Date.now();
  await Promise.all(range(orchestrations).map((i) => api.start('FanOut', p + i, { count })));
  return rate(orchestrations * count, t0, await api.waitAllDone(p, 120_000));
}

/**
 * `orchestrations` instances each wait for `events` events in a loop; once all are running, the
 * bench raises the events round-robin through the raiseEvent webhook, `concurrency` in flight.
 * Wall time runs from the first raise to the completion of the last instance.
 */
export async function externalEvents(host: Child, orchestrations: number, events: number, concurrency: number): Promise<Rate> {
  const api = new DurableApi(host.origin);
  const p = prefix('evt');
  await Promise.all(range(orchestrations).map((i) => api.start('Events', p + i, { count: events })));
  await api.waitAllRunning(p, orchestrations, 30_000);
  const total = orchestrations * events;
  const t0 = Date.now();
  await pool(total, concurrency, (k) => api.raise(p + (k % orchestrations), 'Tick', k));
  return rate(total, t0, await api.waitAllDone(p, 120_000));
}

/**
 * Start → first activity: the client's clock just before the start POST against the `Date.now()`
 * the activity returns (same machine, same clock, 1 ms resolution). One instance at a time; the
 * bench does not poll during the first 40 ms after a start, so its polling cannot slow the step.
 */
export async function startToFirstActivity(host: Child, samples: number): Promise<number[]> {
  const api = new DurableApi(host.origin);
  const p = prefix('lat');
  const latencies: number[] = [];
  for (let i = 0; i < samples; i++) {
    const t0 = Date.now();
    await api.start('FirstActivity', p + i, null);
    await sleep(40);
    let result;
    const deadline = Date.now() + 10_000;
    while (!(result = await api.result(p + i))) {
      if (Date.now() > deadline) throw new Error(`instance ${p + i} did not complete`);
      await sleep(5);
    }
    if (result.runtimeStatus !== 'Completed') throw new Error(`instance ${p + i} ended ${result.runtimeStatus}`);
    latencies.push((result.output as number) - t0);
  }
  return latencies;
}

/** Runs fan-out waves until `activities` activities have run. */
export async function runActivities(host: Child, activities: number, perInstance = 500, parallel = 4): Promise<void> {
  for (let left = activities; left > 0; ) {
    const n = Math.min(parallel, Math.ceil(left / perInstance));
    const count = Math.min(perInstance, Math.ceil(left / n));
    await fanOutActivities(host, n, count);
    left -= n * count;
  }
}

export interface ReplayResult {
  historyEvents: number;
  buildSeconds: number;
  /** The host's `durationMs` of each measured orchestrator invocation. */
  replayMs: number[];
  /** Client-observed raiseEvent POST → that invocation's log line received, for the same invocations. */
  raiseToReplayedMs: number[];
}

/**
 * Builds one history of `steps` sequential activities (3 events each), then raises `rounds`
 * events, each of which makes the orchestrator replay the whole history once; the host logs the
 * duration of each invocation. `invocations` receives the durationMs of LongHistory log lines.
 */
export async function replayLongHistory(host: Child, invocations: number[], steps: number, rounds: number): Promise<ReplayResult> {
  const api = new DurableApi(host.origin);
  const id = prefix('long') + '0';
  const t0 = Date.now();
  await api.start('LongHistory', id, { steps, rounds });
  const deadline = Date.now() + 240_000;
  for (;;) {
    const status = await api.status(id);
    if (status.customStatus === 'waiting 0') break;
    if (status.runtimeStatus !== 'Running' && status.runtimeStatus !== 'Pending') throw new Error(`LongHistory ended ${status.runtimeStatus}`);
    if (Date.now() > deadline) throw new Error('LongHistory did not build its history in time');
    await sleep(100);
  }
  const buildSeconds = (Date.now() - t0) / 1000;
  const historyEvents = countHistory(host, id);
  invocations.length = 0;
  const raiseToReplayedMs: number[] = [];
  for (let r = 0; r < rounds; r++) {
    const sent = performance.now();
    await api.raise(id, 'Again', r);
    while (invocations.length <= r) await sleep(1);
    raiseToReplayedMs.push(performance.now() - sent);
  }
  return { historyEvents, buildSeconds, replayMs: [...invocations], raiseToReplayedMs };
}

/** Events stored for the instance, read from the host's SQLite file (the status API folds them). */
function countHistory(host: Child, instanceId: string): number {
  const db = new Database(path.join(host.dataDir, 'host.sqlite'), { readonly: true });
  try {
    return (db.prepare('SELECT COUNT(*) AS n FROM df_history WHERE instance_id = ?').get(instanceId) as { n: number }).n;
  } finally {
    db.close();
  }
}

export interface ScaleResult {
  /** The 20 × 50 sequential rate on the same host, just before (median of 3). */
  reference: Rate;
  scale: Rate;
  /** Host VmRSS (MB) before the scale run, its peak (sampled every 100 ms) and 2 s after it. */
  rss: { before: number; peak: number; after: number };
}

/**
 * Issue 15 §4: `orchestrations` (1,000) instances of `steps` (10) sequential activities, all
 * started at once, against the 20 × 50 sequential rate of the same host measured just before.
 */
export async function scaleRun(host: Child, orchestrations: number, steps: number): Promise<ScaleResult> {
  const runs = [await sequentialActivities(host, 20, 50), await sequentialActivities(host, 20, 50), await sequentialActivities(host, 20, 50)];
  const reference = runs.sort((a, b) => a.perSecond - b.perSecond)[1];
  await sleep(1000);
  const before = host.rssMb();
  let peak = before;
  const sampler = setInterval(() => (peak = Math.max(peak, host.rssMb())), 100);
  let scale: Rate;
  try {
    scale = await sequentialActivities(host, orchestrations, steps);
  } finally {
    clearInterval(sampler);
  }
  await sleep(2000);
  const after = host.rssMb();
  return { reference, scale, rss: { before, peak: Math.max(peak, after), after } };
}
