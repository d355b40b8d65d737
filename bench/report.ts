import os from 'node:os';

/** One line of the table. */
export interface Row {
  /** Position in the table (the order of SPEC §9), independent of the order of measurement. */
  order: number;
  metric: string;
  measured: string;
  target: string;
  ok?: boolean;
}

/** How each row is measured; printed under the table. */
const METHOD = [
  'Durable rates: orchestrations start through the durable HTTP API (`POST /runtime/webhooks/durabletask/orchestrators/{name}/{id}`); wall time runs from just before the first start (events: the first raiseEvent, once all instances run) to the first 10 ms poll of the instance list that finds none pending or running. Activities are trivial (`Noop` returns its input); the host runs the bench app with `maxConcurrentActivityFunctions`/`maxConcurrentOrchestratorFunctions` 32, like the main app.',
  'Start → first activity: the client\'s `Date.now()` just before the start POST against the `Date.now()` the activity returns (same clock, 1 ms resolution); one start at a time, no polling in the first 40 ms.',
  'HTTP: the bench process is the load client (node:http keep-alive agent, 32 in flight, 1 s warm-up per side, then 3 alternating rounds of 1.5 s per side); the bare server and the host are separate processes answering the same JSON. Point reads: open loop at a fixed rate, latency from send to body read.',
  'SQLite: `openDatabase` from `local/db.ts` (WAL, synchronous=NORMAL) on a temp file, one INSERT of a ~100-byte row per transaction, for 3 s, in the bench process.',
  'Replay: one `LongHistory` instance runs 3,333 sequential activities, then waits for an event five times in a row; each event makes the orchestrator replay the whole history once. Measured is the host\'s own `durationMs` of that orchestrator invocation (its per-invocation log line, so this host runs without `--quiet`): the programming model\'s argument conversion plus durable-functions\' replay, not the host\'s serialization of the history nor the SQLite commit; “raiseEvent → replayed” is the client-side time from the raiseEvent POST to that log line.',
];
/** The Markdown table (in SPEC order), the machine line and the notes on method. */
export function report(rows: Row[], notes: string[], loadAtStart: number): string {
  const mark = (r: Row) => (r.ok === undefined ? '—' : r.ok ? '✅' : '❌');
  const cpus = os.cpus();
  const lines = [
    '| metric | measured | target | ok |',
    '|---|---|---|---|',
    ...[...rows].sort((a, b) => a.order - b.order).map((r) => `| ${r.metric} | ${r.measured} | ${r.target} | ${mark(r)} |`),
    '',
    `Node ${process.version} on ${os.platform()} ${os.arch()}, ${cpus.length} × ${cpus[0]?.model.trim() ?? 'unknown CPU'}; 1-minute load average ${loadAtStart.toFixed(2)} at the start, ${os.loadavg()[0].toFixed(2)} at the end; ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC.`,
    '',
    ...METHOD.map((n) => `- ${n}`),
    ...notes.map((n) => `- ${n}`),
  ];
  return lines.join('\n') + '\n';
}

