import os from 'node:os';
import { parseArgs } from 'node:util';
import type { Durability } from '../local/groupCommit';
import { readDurability } from '../local/settings';
import { Child, cleanup, killAllNow, spawnBareServer, spawnHost } from './children';
import { sleep } from './client';
import { externalEvents, fanOutActivities, Rate, replayLongHistory, runActivities, scaleRun, sequentialActivities, startToFirstActivity } from './durable';
import { bootstrapBatch, orderCorrelation, type BatchRun } from './bootstraps';
import { bootstrapOnce, BootstrapRun, dispatchLatencies, projectPointReads, startFactory, submitLatency } from './factory';
import { ANONYMOUS_FLOOD_PATH, floodPhase, KEYED_FLOOD_PATH } from './flood';
import { closedLoop, fixedRate } from './load';
import { sqliteCommitsPerSecond } from './sqlite';
import { createFloodIsolation } from './tenantFlood';
import { driftSweepOf50, releaseThroughEnvironments } from './delivery';
import { report, Row } from './report';
import { deliveryLatencies } from './generatedServices';
import { blueprintValidationTimes, generateAndValidate, generatedBlueprintObject, specBlueprintObject, type GenerationRun } from './skills';
import { fmt, median, quantile } from './stats';
import { cliStartupTimes } from './cliStartup';
import { firstPageGzipBytes, timeToWorkflowList } from './studio';

// `npm run bench`: measures the local host against the quality bars of SPEC §9 and prints one
// Markdown table. Every process it starts is a child on loopback with a fresh temp data dir, and
// is stopped at the end, on failure, on Ctrl-C, and by a watchdog if the run overstays.
// `npm run bench -- --only factory-reads,sqlite` runs only the named scenarios (see SCENARIOS).

/** The whole run's limit; BENCH_WATCHDOG_MINUTES raises it (the bootstrap batches take long on a loaded machine). */
const WATCHDOG_MS = Number(process.env.BENCH_WATCHDOG_MINUTES ?? 15) * 60_000;
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

/** The durability mode of the durable hosts (`--durability`, else FACTORY_HOST_DURABILITY, else `process`). */
let durability: Durability = 'process';

/** Rows 1–4 on `host`, in `mode`; `order` offsets the rows of a second mode. Returns the activities run. */
async function durableRateRows(host: Child, mode: Durability, order: number): Promise<number> {
  const tag = `, durability ${mode}`;
  progress(`warm-up (${mode})`);
  await sequentialActivities(host, 4, 10);
  await fanOutActivities(host, 2, 100);
  await externalEvents(host, 2, 10, 8);
  await startToFirstActivity(host, 10);
  let activities = 40 + 200 + 10;

  progress(`sequential activities (${mode})`);
  const seq = await medianOf3(() => sequentialActivities(host, 20, 50));
  activities += 3 * seq.count;
  rows.push({ order: order + 0.1, metric: `sequential activities/s (20 orchestrations × 50 steps${tag})`, measured: rateText(seq), target: '≥ 1,000', ok: seq.perSecond >= 1000 });

  progress(`fan-out activities (${mode})`);
  const fan = await medianOf3(() => fanOutActivities(host, 4, 500));
  activities += 3 * fan.count;
  rows.push({ order: order + 0.2, metric: `fan-out activities/s (4 orchestrations × Task.all of 500${tag})`, measured: rateText(fan), target: '≥ 2,000', ok: fan.perSecond >= 2000 });

  progress(`external events (${mode})`);
  const evt = await medianOf3(() => externalEvents(host, 20, 100, 32));
  rows.push({ order: order + 0.3, metric: `external events/s (20 orchestrations × 100 raiseEvent, 32 in flight${tag})`, measured: rateText(evt), target: '≥ 1,000', ok: evt.perSecond >= 1000 });

  progress(`start → first activity (${mode})`);
  const lat = await startToFirstActivity(host, 200);
  activities += lat.length;
  const p99 = quantile(lat, 0.99);
  rows.push({ order: order + 0.4, metric: `start → first activity p50 / p99 (200 sequential starts${tag})`, measured: `${fmt(median(lat))} / ${fmt(p99)} ms`, target: 'p99 < 20 ms', ok: p99 < 20 });
  return activities;
}

async function durableRows(): Promise<void> {
  progress(`durable host (durability ${durability})`);
  const host = await spawnHost('durable host', { quiet: true, env: { FACTORY_HOST_DURABILITY: durability } });
  await sleep(1000);
  const idleRss = host.rssMb();
  const activities = await durableRateRows(host, durability, 0.5);

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

/** Rows 1–4 again in the other durability mode, on a fresh host. */
async function otherDurabilityRows(): Promise<void> {
  const mode: Durability = durability === 'process' ? 'fsync' : 'process';
  progress(`durable host (durability ${mode})`);
  const host = await spawnHost('durable host', { quiet: true, env: { FACTORY_HOST_DURABILITY: mode } });
  try {
    await durableRateRows(host, mode, 4.5);
  } finally {
    await host.stop();
  }
}

/** Issue 15 §4: 1,000 concurrent orchestrations of 10 steps against the 20 × 50 rate of the same host. */
async function scaleRow(): Promise<void> {
  progress(`scale: 1,000 orchestrations × 10 steps (durability ${durability})`);
  const host = await spawnHost('scale host', { quiet: true, env: { FACTORY_HOST_DURABILITY: durability } });
  try {
    await sequentialActivities(host, 4, 10); // warm-up
    const r = await scaleRun(host, 1000, 10);
    const ratio = r.scale.perSecond / r.reference.perSecond;
    rows.push({
      order: 8.5,
      metric: `1,000 concurrent orchestrations × 10 sequential steps vs. 20 × 50 on the same host (durability ${durability}); host RSS before → peak → 2 s after`,
      measured: `${fmt(r.scale.perSecond)} vs. ${fmt(r.reference.perSecond)} activities/s = ${fmt(ratio * 100)} % (${fmt(r.scale.count)} in ${fmt(r.scale.seconds, 2)} s); RSS ${fmt(r.rss.before, 1)} → ${fmt(r.rss.peak, 1)} → ${fmt(r.rss.after, 1)} MB`,
      target: '≥ 80 %',
      ok: ratio >= 0.8,
    });
    notes.push('Scale: after a warm-up, 20 × 50 sequential (median of 3), 1 s pause, then 1,000 `Sequence` instances of 10 steps started at once (64 connections); RSS is VmRSS sampled every 100 ms during that run and read 2 s after it.');
  } finally {
    await host.stop();
  }
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

function cliRow(): void {
  progress('CLI start-up');
  const t = cliStartupTimes();
  const p50 = median(t.version);
  rows.push({
    order: 17,
    metric: 'CLI start-up, `factory --version` p50 / max (20 runs; `factory --help`, every command registered, and a bare `node -e ""` alongside)',
    measured: `${fmt(p50, 1)} / ${fmt(Math.max(...t.version), 1)} ms (${fmt(p50 - median(t.bareNode), 1)} ms over bare node ${fmt(median(t.bareNode), 1)} ms; help ${fmt(median(t.help), 1)} ms)`,
    target: '≤ 150 ms',
    ok: p50 <= 150,
  });
}

function sqliteRow(): void {
  progress('SQLite');
  const commits = sqliteCommitsPerSecond(3000);
  rows.push({ order: 8, metric: 'raw SQLite commits/s (better-sqlite3, WAL, synchronous=NORMAL, 1-row transactions)', measured: fmt(commits), target: 'reference' });
  const full = sqliteCommitsPerSecond(3000, 'FULL');
  rows.push({ order: 8.1, metric: 'raw SQLite commits/s with an fsync each (synchronous=FULL)', measured: fmt(full), target: 'reference' });
}

const BLUEPRINT_MODULES = 50;
const VALIDATION_RUNS = 50;
const SUBMIT_RUNS = 5;
const GENERATED_MODULES = 10;
const BOOTSTRAPS = 3;

function blueprintValidationRow(): void {
  progress(`blueprint validation (${BLUEPRINT_MODULES} modules, in-process)`);
  const { ms, bytes } = blueprintValidationTimes(BLUEPRINT_MODULES, VALIDATION_RUNS);
  rows.push({
    order: 12,
    metric: `blueprint validation in-process, \`parseBlueprint\` of a generated ${BLUEPRINT_MODULES}-module blueprint (${fmt(bytes / 1024)} KB YAML) p50 / p99 (${VALIDATION_RUNS} runs)`,
    measured: `${fmt(median(ms), 1)} / ${fmt(quantile(ms, 0.99), 1)} ms`,
    target: 'reference',
  });
}

/** `Skill x%` for every skill of a run, largest first. */
function stepShares(r: GenerationRun): string {
  return [...r.bySkill]
    .sort(([, a], [, b]) => b - a)
    .map(([name, ms]) => `${name} ${fmt((ms / r.totalMs) * 100, ms / r.totalMs < 0.01 ? 1 : 0)}%`)
    .join(', ');
}

function generationRow(order: number, label: string, r: GenerationRun, targetSeconds: number): boolean {
  const ok = r.validated === r.modules && r.totalMs <= targetSeconds * 1000;
  rows.push({
    order,
    metric: `generation + validation of ${label} in-process (built-in skills in workflow order, modules one after the other; ValidateService type-checks, runs the generated tests, starts the service and calls every operation)`,
    measured: `${fmt(r.totalMs / 1000, 1)} s; ${r.validated}/${r.modules} modules validated, ${fmt(r.artifacts)} artifacts${r.failures.length ? `; FAILED: ${r.failures.join(' / ').slice(0, 300)}` : ''}`,
    target: `≤ ${targetSeconds} s on 2 cores, every ValidateService report passed`,
    ok,
  });
  notes.push(`Share of each step in ${label}: ${stepShares(r)}.`);
  return ok;
}

async function skillsRow(): Promise<void> {
  progress(`built-in skills over the SPEC blueprint and ${GENERATED_MODULES} modules (in-process)`);
  const warm = await generateAndValidate(generatedBlueprintObject(1));
  generationRow(14, 'the SPEC §8 blueprint (3 modules)', await generateAndValidate(specBlueprintObject()), 10);
  generationRow(14.1, `a generated ${GENERATED_MODULES}-module blueprint`, await generateAndValidate(generatedBlueprintObject(GENERATED_MODULES)), 30);
  notes.push(`The warm-up run over a 1-module blueprint (loads the TypeScript compiler and the service's dependencies) took ${fmt(warm.totalMs / 1000, 1)} s and is not counted.`);
}

const DELIVERED_LOANS = 20;

async function generatedServiceRows(): Promise<void> {
  progress('generated services: event delivery and idle memory');
  const run = await deliveryLatencies(DELIVERED_LOANS);
  const p50 = median(run.latencies);
  const max = Math.max(...run.latencies);
  rows.push({
    order: 14.2,
    metric: `event delivery between generated services: \`POST /lending/v1/loans\` answered → NotificationWorker handled BookLent (local host broker, SQLite), p50 / max of ${DELIVERED_LOANS}`,
    measured: `${fmt(p50, 1)} / ${fmt(max, 1)} ms`,
    target: '≤ 2 s',
    ok: max <= 2000,
  });
  rows.push({ order: 14.3, metric: 'RSS of one generated service (LendingService) idle after start', measured: `${fmt(run.idleRssMb)} MB`, target: 'reference' });
}

const POINT_READ_RATE = 500;
const POINT_READ_MS = 5000;

async function factoryReadRows(): Promise<void> {
  progress('factory app: API point reads');
  // Rate limits off: these rows measure what the host can serve, not what one tenant may ask for.
  const [factory, bare] = await Promise.all([startFactory({ invocationLog: false, env: RATE_LIMITS_OFF }), spawnBareServer()]);
  try {
    const r = await projectPointReads(factory, bare.origin, { perSecond: POINT_READ_RATE, durationMs: POINT_READ_MS, concurrency: 32, rounds: 3, roundMs: 1500 });
    const p99 = quantile(r.latencies, 0.99);
    rows.push({
      order: 7.1,
      metric: `factory API point read p50 / p99 at ${fmt(POINT_READ_RATE)} req/s (${fmt(POINT_READ_MS / 1000)} s), \`GET /api/tenants/{t}/projects/{p}\` with a Viewer key`,
      measured: `${fmt(median(r.latencies), 2)} / ${fmt(p99, 2)} ms`,
      target: 'p99 < 10 ms',
      ok: p99 < 10,
    });
    rows.push({
      order: 7.2,
      metric: 'factory API req/s, the same `GET …/projects/{p}` (32 in flight)',
      measured: `${fmt(r.hostRps)} (${fmt((r.hostRps / r.bareRps) * 100)}% of bare node:http, ${fmt(r.bareRps)} alongside)`,
      target: 'reference',
    });
  } finally {
    await Promise.all([factory.host.stop(), bare.stop()]);
  }
}

/** Settings that switch the API rate limits off (capacity rows, and the isolation row's baseline). */
const RATE_LIMITS_OFF = { FACTORY_RATE_LIMIT_TENANT_RPS: '0', FACTORY_RATE_LIMIT_PRINCIPAL_RPS: '0' };
const FLOOD_READS_PER_SECOND = 25;
const FLOOD_MS = 10_000;
const FLOOD_CLIENTS = 16;

async function tenantFloodRows(): Promise<void> {
  for (const [order, limits] of [[7.3, 'on'], [7.4, 'off']] as const) {
    progress(`factory app: one tenant's create flood, rate limits ${limits}`);
    const factory = await startFactory({ invocationLog: false, env: limits === 'off' ? RATE_LIMITS_OFF : {} });
    try {
      const r = await createFloodIsolation(factory, { readsPerSecond: FLOOD_READS_PER_SECOND, durationMs: FLOOD_MS, floodConcurrency: FLOOD_CLIENTS });
      const [p99Before, p99During] = [quantile(r.before, 0.99), quantile(r.during, 0.99)];
      rows.push({
        order,
        metric: `another tenant's point read p50 / p99 before → during one tenant's create flood (${FLOOD_CLIENTS} clients POSTing artifacts, ${fmt(FLOOD_MS / 1000)} s), rate limits ${limits}${limits === 'on' ? ' (defaults)' : ''}`,
        measured: `${fmt(median(r.before), 2)} / ${fmt(p99Before, 2)} → ${fmt(median(r.during), 2)} / ${fmt(p99During, 2)} ms; flood ${fmt(r.created)} created, ${fmt(r.limited)} × 429, ${fmt(r.other)} other in ${fmt(r.floodSeconds, 1)} s`,
        target: limits === 'on' ? 'p99 during ≤ 2 × before (or < 10 ms)' : 'reference',
        ...(limits === 'on' ? { ok: p99During <= Math.max(2 * p99Before, 10) } : {}),
      });
    } finally {
      await factory.host.stop();
    }
  }
  notes.push(`Create-flood rows: the reading tenant sends ${FLOOD_READS_PER_SECOND} req/s of \`GET …/projects/{p}\` (Viewer key); the flooding tenant's clients POST small artifacts back to back with its TenantAdmin key.`);
}

async function factoryRows(): Promise<void> {
  progress('factory app: blueprint submits');
  // Rate limits off: the bench polls approvals and workflows every 10–20 ms, faster than a key may.
  const factory = await startFactory({ env: RATE_LIMITS_OFF });
  try {
    const submit = await submitLatency(factory, BLUEPRINT_MODULES, SUBMIT_RUNS);
    rows.push({
      order: 13,
      metric: `blueprint submit over HTTP, \`POST …/blueprints\` of a generated ${BLUEPRINT_MODULES}-module blueprint, p50 / max (${SUBMIT_RUNS} distinct contents)`,
      measured: `${fmt(median(submit), 1)} / ${fmt(Math.max(...submit), 1)} ms`,
      target: 'reference',
    });

    const runs: BootstrapRun[] = [];
    const windows: { traceId: string; from: number; to: number }[] = [];
    for (let i = 0; i < BOOTSTRAPS; i++) {
      progress(`factory app: ProjectBootstrap ${i + 1} of ${BOOTSTRAPS}`);
      const from = Date.now();
      const run = await bootstrapOnce(factory, `vetclinic-${i + 1}`);
      windows.push({ traceId: run.traceId, from, to: Date.now() });
      runs.push(run);
    }
    await sleep(500); // the last invocation lines are on their way through the pipe
    const dispatch = dispatchLatencies(factory.invocations, windows);
    rows.push({
      order: 15,
      metric: `agent-task dispatch latency p50 / p99 (\`DispatchAgentTask\` sent → \`agentTaskExecutor\` start; ${dispatch.length} tasks of ${BOOTSTRAPS} ProjectBootstraps)`,
      measured: `${fmt(median(dispatch), 1)} / ${fmt(quantile(dispatch, 0.99), 1)} ms (max ${fmt(Math.max(...dispatch), 1)})`,
      target: 'reference',
    });

    const total = runs.map((r) => r.totalMs);
    const excl = runs.map((r) => r.toApprovalMs + r.afterApprovalMs);
    const mid = [...runs].sort((a, b) => a.totalMs - b.totalMs)[Math.floor(runs.length / 2)];
    rows.push({
      order: 16,
      metric: `ProjectBootstrap end to end, SPEC §8 blueprint (3 modules, ${mid.agentTasks} agent tasks), approval given as soon as requested (median of ${BOOTSTRAPS})`,
      measured: `${fmt(median(total) / 1000, 2)} s start → Completed (runs ${total.map((t) => fmt(t / 1000, 2)).join(' / ')} s); without the approval wait ${fmt(median(excl) / 1000, 2)} s (median run: start → approval requested ${fmt(mid.toApprovalMs)} ms + decided → Completed ${fmt(mid.afterApprovalMs / 1000, 2)} s)`,
      target: 'reference',
    });
    notes.push(`ProjectBootstrap runs in order; approval wait (requested → decided, the bench's 10 ms poll plus the decision POST) ${runs.map((r) => `${fmt(r.approvalWaitMs)} ms`).join(' / ')}. The first run is the host's first workflow (cold code paths, first TypeScript program).`);
  } finally {
    await factory.host.stop();
  }
}

/** Batch sizes of the bootstrap scale rows (`--only bootstraps`; BENCH_BOOTSTRAP_BATCHES=1,10 narrows them). */
const BOOTSTRAP_BATCHES = (process.env.BENCH_BOOTSTRAP_BATCHES ?? '1,10,20').split(',').map(Number);

async function bootstrapScaleRows(): Promise<void> {
  const factory = await startFactory({ invocationLog: false, env: RATE_LIMITS_OFF });
  try {
    progress('factory app: warm-up ProjectBootstrap (not counted)');
    await bootstrapBatch(factory, 1, 'warm');
    const runs: BatchRun[] = [];
    for (const n of BOOTSTRAP_BATCHES) {
      progress(`factory app: ${n} concurrent ProjectBootstraps`);
      runs.push(await bootstrapBatch(factory, n, `batch${n}`));
    }
    const unit = runs[0].lastMs / runs[0].n;
    for (const [i, r] of runs.entries()) {
      const cost = r.lastMs / r.n;
      rows.push({
        order: 16.1 + i / 100,
        metric: `${r.n} concurrent ProjectBootstraps of the SPEC §8 blueprint on one host, approvals at once: first / last completion, per-workflow cost (last ÷ n), completion order vs start order (Spearman), host RSS before / peak / after (settled)`,
        measured: `${fmt(r.firstMs / 1000, 1)} / ${fmt(r.lastMs / 1000, 1)} s; ${fmt(cost / 1000, 2)} s per workflow (${fmt((cost / unit) * 100)}% of n=${runs[0].n}); order ${fmt(orderCorrelation(r.completionRanks), 2)}; RSS ${fmt(r.rssBeforeMb)} / ${fmt(r.rssPeakMb)} / ${fmt(r.rssAfterMb)} MB`,
        target: 'cost within 10% of n=1, finish in about start order, RSS after ≤ 125% of before',
        ok: cost <= unit * 1.1 && r.rssAfterMb <= r.rssBeforeMb * 1.25,
      });
    }
    notes.push(`Bootstrap scale rows: one factory host (\`--quiet\`, FACTORY_VALIDATION_CONCURRENCY at its default of the CPU count, ${os.availableParallelism()} here) after one warm-up bootstrap; each batch gets new projects with the SPEC blueprint submitted, then all workflows are started back to back and every ArchitectureApproval is approved as soon as it is pending; completions are the workflows' finishedAt. RSS "before" is the host after the warm-up and the earlier batches.`);
  } finally {
    await factory.host.stop();
  }
}

const FLOOD = { senders: 4, bytes: 90 * 1024 * 1024, durationMs: 5000, readRate: 200 };

async function floodRows(): Promise<void> {
  // Rate limits off: the reader's warm-up is a closed loop, which a Viewer's token bucket would answer with 429.
  const factory = await startFactory({ invocationLog: false, env: RATE_LIMITS_OFF });
  try {
    for (const [order, path] of [[7.3, ANONYMOUS_FLOOD_PATH], [7.4, KEYED_FLOOD_PATH]] as const) {
      progress(`unauthenticated ${FLOOD.senders} × ${FLOOD.bytes / 1024 / 1024} MB POST flood at ${path}`);
      const p = await floodPhase(factory, path, FLOOD);
      const p99Before = quantile(p.before, 0.99);
      const p99During = quantile(p.during, 0.99);
      rows.push({
        order,
        metric: `host RSS before / peak / 5 s after, and another tenant's read p99 before / during, under ${FLOOD.senders} parallel unauthenticated ${FLOOD.bytes / 1024 / 1024} MB chunked POSTs for ${FLOOD.durationMs / 1000} s at \`${path}\``,
        measured: `${fmt(p.rssBeforeMb, 1)} / ${fmt(p.rssPeakMb, 1)} / ${fmt(p.rssAfterMb, 1)} MB; p99 ${fmt(p99Before, 2)} / ${fmt(p99During, 2)} ms; POSTs ended: ${Object.entries(p.outcomes).map(([k, v]) => `${k} ×${v}`).join(', ')}`,
        target: 'RSS after ≤ before + 20 %',
        ok: p.rssAfterMb <= p.rssBeforeMb * 1.2,
      });
    }
    notes.push(`Flood rows: the factory app on the local host (\`--quiet\`); a Viewer of the bench tenant reads its project at ${FLOOD.readRate} req/s (open loop, ${FLOOD.durationMs / 1000} s before, then during the flood) while ${FLOOD.senders} senders each POST ${FLOOD.bytes / 1024 / 1024} MB with Transfer-Encoding: chunked (no Content-Length to refuse by), one after another, without credentials. The anonymous factory route gets the host's anonymous body limit (FACTORY_HOST_ANONYMOUS_MAX_BODY_BYTES, 16 MiB) while streaming, then 413 and the connection closes; the keyed route answers 401 before reading. Anonymous requests together may buffer at most FACTORY_HOST_ANONYMOUS_BODY_BUDGET_BYTES (24 MiB) at once; beyond it they get 503 with Retry-After. RSS is VmRSS sampled every 50 ms during the flood and each second for 5 s after; it stays flat over those 5 s (the allocator and V8's young generation keep what they grew to), so “after” is the level the host settles at, not a still-falling value.`);
  } finally {
    await factory.host.stop();
  }
}

async function studioRows(): Promise<void> {
  progress('studio: first page bundle and time to the workflow list (Chromium)');
  const bundle = firstPageGzipBytes();
  rows.push({ order: 17, metric: `Studio first page, gzip (index.html + ${bundle.files - 1} entry assets; lazy pages excluded)`, measured: `${fmt(bundle.bytes / 1024, 1)} KB`, target: '≤ 300 KB', ok: bundle.bytes <= 300 * 1024 });
  const list = await timeToWorkflowList(5);
  const warm = median(list.warmMs);
  rows.push({
    order: 18,
    metric: 'Studio: navigation start → first workflow row rendered (Chromium, local host; cold cache, then median of 5 warm)',
    measured: `${fmt(list.coldMs)} ms cold / ${fmt(warm)} ms warm`,
    target: '≤ 1,000 ms',
    ok: list.coldMs <= 1000,
  });
}

async function deliveryRows(): Promise<void> {
  progress('delivery: release through dev, staging, production');
  const release = await releaseThroughEnvironments();
  rows.push({
    order: 17,
    metric: 'release of the SPEC blueprint (3 modules) through dev, staging, production, start → production-ready, approval given at once (first release of the commit: every replica started; module builds started when the commit reached main, see next row)',
    measured: `${fmt(release.totalMs / 1000, 2)} s (promotions ${release.promotions.join(', ')}; steps of the first: ${release.firstSteps.join(', ')})`,
    target: '≤ 15 s',
    ok: release.totalMs <= 15_000,
  });
  rows.push({
    order: 17.5,
    metric: 'builds of those 3 modules at merge to main (checkout + in-process TypeScript emit, all at once; done in the background before the release)',
    measured: `${fmt(release.buildMs / 1000, 2)} s`,
    target: '—',
    ok: true,
  });
  progress('delivery: drift sweep over 50 deployments');
  const drift = await driftSweepOf50(5);
  rows.push({
    order: 18,
    metric: `drift scan over ${drift.deployments} running deployments (10 environments × 5 modules, local provider), median / max of 5`,
    measured: `${fmt(median(drift.ms), 1)} / ${fmt(Math.max(...drift.ms), 1)} ms (${drift.findings} findings)`,
    target: '≤ 500 ms',
    ok: median(drift.ms) <= 500,
  });
}

/** Every scenario, in the order a full run measures them. */
const SCENARIOS: Record<string, () => void | Promise<void>> = {
  sqlite: sqliteRow,
  durable: durableRows,
  'durable-other': otherDurabilityRows,
  scale: scaleRow,
  http: httpRows,
  'factory-reads': factoryReadRows,
  'tenant-flood': tenantFloodRows,
  replay: replayRow,
  'blueprint-validation': blueprintValidationRow,
  skills: skillsRow,
  'generated-services': generatedServiceRows,
  factory: factoryRows,
  bootstraps: bootstrapScaleRows,
  flood: floodRows,
  cli: cliRow,
  studio: studioRows,
  delivery: deliveryRows,
};

/** The scenarios `--only a,b` names (all without it); an unknown name stops the run before anything starts. */
function selectedScenarios(): string[] {
  const { values } = parseArgs({ options: { only: { type: 'string' }, durability: { type: 'string' } } });
  durability = readDurability(values.durability);
  if (values.only === undefined) return Object.keys(SCENARIOS);
  const names = values.only.split(',').map((name) => name.trim()).filter(Boolean);
  const unknown = names.filter((name) => !(name in SCENARIOS));
  if (unknown.length || !names.length) throw new Error(`--only takes a comma-separated list of ${Object.keys(SCENARIOS).join(', ')}; got '${values.only}'`);
  return Object.keys(SCENARIOS).filter((name) => names.includes(name));
}

async function main(): Promise<void> {
  const scenarios = selectedScenarios();
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
  const failed: string[] = [];
  try {
    for (const name of scenarios) {
      try {
        await SCENARIOS[name]();
      } catch (error) {
        // One scenario's failure must not lose the others' rows: it becomes a failed row, the run goes on.
        failed.push(name);
        progress(`scenario ${name} failed: ${(error as Error).stack ?? error}`);
        rows.push({ order: 99, metric: `scenario \`${name}\``, measured: `failed: ${(error as Error).message.slice(0, 300)}`, target: 'runs', ok: false });
      }
    }
    if (failed.length) process.exitCode = 1;
    if (scenarios.some((name) => name.startsWith('durable'))) notes.push(`Durability: the durable rows ran with \`--durability ${durability}\`${scenarios.includes('durable-other') ? ' and again on a fresh host in the other mode' : ''} (process: survives kill -9; fsync: every acknowledged step survives power loss, one group-commit fsync shared by concurrent instances).`);
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
