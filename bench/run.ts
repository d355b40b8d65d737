import os from 'node:os';
import { cleanup, killAllNow, spawnBareServer, spawnHost } from './children';
import { sleep } from './client';
import { externalEvents, fanOutActivities, Rate, replayLongHistory, runActivities, sequentialActivities, startToFirstActivity } from './durable';
import { closedLoop, fixedRate } from './load';
import { sqliteCommitsPerSecond } from './sqlite';
import { report, Row } from './report';
import { fmt, median, quantile } from './stats';

// `npm run bench`: measures the local host against the quality bars of SPEC §9 and prints one
// Markdown table. Every process it starts is a child on loopback with a fresh temp data dir, and
// is stopped at the end, on failure, on Ctrl-C, and by a watchdog if the run overstays.

const WATCHDOG_MS = 10 * 60_000;
const TOTAL_ACTIVITIES = 100_000;
const WARM_ACTIVITIES = 10_000;

const rows: Row[] = [];
const notes: string[] = [];
const loadAtStart = os.loadavg()[0];
const progress = (message: string) => process.stderr.write(`bench: ${message}\n`);

/** Runs a rate measurement three times and keeps the median run. */
async function medianOf3(measure: () => Promise<Rate>): Promise<Rate> {
  const runs = [await measure(), await measure(), await measure()];
  return runs.sort((a, b) => a.perSecond - b.perSecond)[1];
}

const rateText = (r: Rate) => `${fmt(r.perSecond)} (median of 3 runs; ${fmt(r.count)} in ${fmt(r.seconds, 2)} s)`;

async function durableRows(): Promise<void> {
  progress('durable host');
  const host = await spawnHost('durable host', { quiet: true });
  await sleep(1000);
  const idleRss = host.rssMb();
  let activities = 0;

  progress('warm-up');
  await sequentialActivities(host, 4, 10);
  await fanOutActivities(host, 2, 100);
  await externalEvents(host, 2, 10, 8);
  await startToFirstActivity(host, 10);
  activities += 40 + 200 + 10;

  progress('sequential activities');
  const seq = await medianOf3(() => sequentialActivities(host, 20, 50));
  activities += 3 * seq.count;
  rows.push({ order: 1, metric: 'sequential activities/s (20 orchestrations × 50 steps)', measured: rateText(seq), target: '≥ 1,000', ok: seq.perSecond >= 1000 });

  progress('fan-out activities');
  const fan = await medianOf3(() => fanOutActivities(host, 4, 500));
  activities += 3 * fan.count;
  rows.push({ order: 2, metric: 'fan-out activities/s (4 orchestrations × Task.all of 500)', measured: rateText(fan), target: '≥ 2,000', ok: fan.perSecond >= 2000 });

  progress('external events');
  const evt = await medianOf3(() => externalEvents(host, 20, 100, 32));
  rows.push({ order: 3, metric: 'external events/s (20 orchestrations × 100 raiseEvent, 32 in flight)', measured: rateText(evt), target: '≥ 1,000', ok: evt.perSecond >= 1000 });

  progress('start → first activity');
  const lat = await startToFirstActivity(host, 200);
  activities += lat.length;
  const p99 = quantile(lat, 0.99);
  rows.push({ order: 4, metric: 'start → first activity p50 / p99 (200 sequential starts)', measured: `${fmt(median(lat))} / ${fmt(p99)} ms`, target: 'p99 < 20 ms', ok: p99 < 20 });

  progress(`fan-out waves up to ${fmt(TOTAL_ACTIVITIES)} activities for the memory rows`);
  await runActivities(host, WARM_ACTIVITIES - activities);
  await sleep(1000);
  const warmRss = host.rssMb();
  const t0 = Date.now();
  await runActivities(host, TOTAL_ACTIVITIES - WARM_ACTIVITIES);
  const topUpSeconds = (Date.now() - t0) / 1000;
  await sleep(1000);
  const afterRss = host.rssMb();
  await host.stop();

  rows.push({ order: 9, metric: 'host RSS idle after start', measured: `${fmt(idleRss, 1)} MB`, target: '< 150 MB', ok: idleRss < 150 });
  rows.push({
    order: 10,
    metric: `host RSS after ${fmt(TOTAL_ACTIVITIES)} activities (vs. after the first ${fmt(WARM_ACTIVITIES)})`,
    measured: `${fmt(afterRss, 1)} MB (${fmt(warmRss, 1)} → ${afterRss >= warmRss ? '+' : ''}${fmt(afterRss - warmRss, 1)} MB)`,
    target: 'no growth (≤ +10 %)',
    ok: afterRss <= warmRss * 1.1,
  });
  notes.push(`Memory: rows 1–4 and fan-out waves (4 × 500) up to ${fmt(WARM_ACTIVITIES)} activities, RSS read 1 s later; then ${fmt(TOTAL_ACTIVITIES - WARM_ACTIVITIES)} more in waves (${fmt(topUpSeconds, 1)} s), RSS read 1 s later. RSS is VmRSS of the host process.`);
}

async function replayRow(): Promise<void> {
  progress('10,000-event history (building it takes a while)');
  const invocations: number[] = [];
  const host = await spawnHost('replay host', {
    quiet: false,
    onLine: (line) => {
      if (!line.includes('"function":"LongHistory"')) return;
      const record = JSON.parse(line) as { message: string; durationMs: number };
      if (record.message === 'invocation') invocations.push(record.durationMs);
    },
  });
  const r = await replayLongHistory(host, invocations, 3333, 5);
  await host.stop();
  const replay = median(r.replayMs);
  rows.push({
    order: 11,
    metric: `replay of a ${fmt(r.historyEvents)}-event history (median of ${r.replayMs.length})`,
    measured: `${fmt(replay, 1)} ms (max ${fmt(Math.max(...r.replayMs), 1)}; raiseEvent → replayed ${fmt(median(r.raiseToReplayedMs), 1)} ms)`,
    target: '< 50 ms',
    ok: replay < 50,
  });
  notes.push(`Building that history (3,333 sequential activities, one replay per step) took ${fmt(r.buildSeconds, 1)} s.`);
}

async function httpRows(): Promise<void> {
  progress('HTTP');
  const bare = await spawnBareServer();
  const host = await spawnHost('http host', { quiet: true });
  const bareUrl = (i: number) => `${bare.origin}/items/${i % 1000}`;
  const hostUrl = (i: number) => `${host.origin}/api/items/${i % 1000}`;
  await closedLoop(bareUrl, 32, 1000); // warm-up: connections, JIT
  await closedLoop(hostUrl, 32, 1000);
  // Alternating rounds, so that a change in background load touches both sides alike.
  const sum = { bare: { requests: 0, seconds: 0 }, host: { requests: 0, seconds: 0 } };
  for (let round = 0; round < 3; round++) {
    for (const [side, url] of [['bare', bareUrl], ['host', hostUrl]] as const) {
      const r = await closedLoop(url, 32, 1500);
      sum[side].requests += r.requests;
      sum[side].seconds += r.seconds;
    }
  }
  const bareRps = sum.bare.requests / sum.bare.seconds;
  const hostRps = sum.host.requests / sum.host.seconds;
  const lat = await fixedRate(hostUrl, 500, 5000);
  await Promise.all([bare.stop(), host.stop()]);
  const share = hostRps / bareRps;
  rows.push({ order: 5, metric: 'HTTP req/s, bare node:http JSON server (32 in flight)', measured: fmt(bareRps), target: 'reference' });
  rows.push({ order: 6, metric: 'HTTP req/s, host `GET /api/items/{id}` (32 in flight)', measured: `${fmt(hostRps)} (${fmt(share * 100)}% of bare)`, target: '≥ 50% of bare', ok: share >= 0.5 });
  const p99 = quantile(lat, 0.99);
  rows.push({ order: 7, metric: 'HTTP point read p50 / p99 at 500 req/s (5 s)', measured: `${fmt(median(lat), 2)} / ${fmt(p99, 2)} ms`, target: 'p99 < 10 ms', ok: p99 < 10 });
}

function sqliteRow(): void {
  progress('SQLite');
  const commits = sqliteCommitsPerSecond(3000);
  rows.push({ order: 8, metric: 'raw SQLite commits/s (better-sqlite3, WAL, synchronous=NORMAL, 1-row transactions)', measured: fmt(commits), target: 'reference' });
}

async function main(): Promise<void> {
  const watchdog = setTimeout(() => {
    process.stderr.write(`bench: still running after ${WATCHDOG_MS / 60_000} minutes; stopping\n`);
    killAllNow();
    process.exit(2);
  }, WATCHDOG_MS);
  const interrupt = () => {
    killAllNow();
    process.exit(130);
  };
  process.once('SIGINT', interrupt);
  process.once('SIGTERM', interrupt);
  process.once('exit', killAllNow);
  try {
    sqliteRow();
    await durableRows();
    await httpRows();
    await replayRow();
    process.stdout.write(report(rows, notes, loadAtStart));
  } finally {
    await cleanup();
    clearTimeout(watchdog);
  }
}

main().catch((error: Error) => {
  process.stderr.write(`bench failed: ${error.stack ?? error.message}\n`);
  process.exitCode = 1;
});
