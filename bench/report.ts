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
  'Factory API point reads: the factory app (repository root) on the local host with `--quiet` (its JSON span line per request still goes to stdout, as by default), a new project, then `GET /api/tenants/{t}/projects/{p}` with the tenant\'s Viewer key (authentication, tenant scope, params validation, one store read); after a 1 s warm-up per side, an open loop at 500 req/s for 5 s (latency from send to body read), then 3 alternating rounds of 1.5 s per side, 32 in flight, against a bare node:http server started alongside.',
  'SQLite: `openDatabase` from `local/db.ts` (WAL, synchronous=NORMAL) on a temp file, one INSERT of a ~100-byte row per transaction, for 3 s, in the bench process.',
  'Replay: one `LongHistory` instance runs 3,333 sequential activities, then waits for an event five times in a row; each event makes the orchestrator replay the whole history once. Measured is the host\'s own `durationMs` of that orchestrator invocation (its per-invocation log line, so this host runs without `--quiet`): the programming model\'s argument conversion plus durable-functions\' replay, not the host\'s serialization of the history nor the SQLite commit; “raiseEvent → replayed” is the client-side time from the raiseEvent POST to that log line.',
  'Blueprint validation (in-process): `parseBlueprint` from `shared/blueprints` (YAML → schema and semantic checks → canonical JSON and sha256) on the YAML text of a generated blueprint (`bench/blueprintGen.ts`: a chain of modules, each with two entities covering every field type, API or queue worker, one emitted and one consumed event, dependsOn its predecessor), timed with `performance.now()` in the bench process after 5 warm-up runs. Submit: `POST /api/tenants/{t}/projects/{p}/blueprints` (`application/yaml`, Architect key) of that blueprint on the factory app (repository root) on the local host, each submit a new content (metadata.description differs) so each is validated and stored as a new version (201); client time from send to body read, after one uncounted warm-up submit.',
  'Skills (in-process): the `BUILTIN_SKILLS` of `shared/skills/registry.ts` in ProjectBootstrap order — DraftVisionDocument → DesignArchitecture, then per module EmitOpenApiContract → DefineEventContracts → GenerateService → GenerateTests → ValidateService — each given the artifacts the workflow gives it (the input lists of `orchestrations/microserviceAssembly.ts`); modules run one after the other (the workflow fans them out). ValidateService type-checks the module in-process, runs its tests with `node --test` in a child process, then starts the compiled service and calls every operation of its contract. Wall time from the first skill to the last; the row fails unless every ValidateService report says `passed` with every check ok.',
  'Generated services: LendingService and NotificationWorker of `shared/blueprints/examples/library.yaml`, generated, compiled and started (`node dist/src/main.js`) on SQLite and a factory host\'s broker (`BROKER=local`); latency from the answer of `POST /lending/v1/loans` to the worker\'s store recording BookLent as handled (polled every 5 ms), loans one after the other. RSS from /proc two seconds after LendingService is ready, before any request.',
  'Dispatch latency: from the factory host\'s per-invocation log lines (`time` = end of the invocation, ISO, 1 ms resolution; `durationMs`) during the ProjectBootstrap runs of the last row. Sent = end of the `DispatchAgentTask` activity (its last step is the send to `agent-tasks`); executor start = `time` − `durationMs` of the `agentTaskExecutor` invocation. The bootstraps run one at a time, so the invocations of one workflow are those that end between its start POST and its observed completion (the executor lines carry the workflow\'s trace id, which is checked; the dispatch activity runs under the orchestration\'s own trace id, so it cannot be matched by trace). The local broker delivers `agent-tasks` in enqueue order (`ORDER BY seq`), so the k-th dispatch by end time pairs with the k-th executor start; the run fails if the counts differ or any invocation failed. Resolution ±1 ms (ISO log times); values within 1.5 ms below zero from that rounding count as 0.',
  'ProjectBootstrap end to end: on the factory app on the local host, a new project per run with `shared/blueprints/examples/vetclinic.yaml` submitted, `POST …/workflows {kind: ProjectBootstrap}` as TenantAdmin; the bench polls pending approvals every 10 ms and approves the ArchitectureApproval as an Architect as soon as it appears, then polls the workflow every 20 ms. Start → Completed is client time from just before the start POST to the first poll that sees Completed (the run fails unless all 3 modules are validated and the commit was created). Without the approval wait = (approval `requestedAt` − workflow `startedAt`) + (workflow `finishedAt` − approval `decidedAt`), from the records the API returns (same clock, ms).',
  'CLI start-up: `node dist/cli/bin/factory.js --version` spawned by the bench process (`spawnSync`, wall time from spawn to exit with `performance.now()`), 20 runs after 3 warm-up rounds, interleaved with `factory --help` (commander and every command module loaded) and a bare `node -e \'\'` whose time is the floor any Node CLI pays.',
  'Studio: first page = `dist/studio/index.html` and every asset it names (entry script, modulepreloads, stylesheet), each gzipped with zlib level 6 and summed; the lazily loaded pages (editor, charts, Mermaid, MSAL) are not part of it. Time to the workflow list: Debian Chromium (playwright-core) on the factory app on the local host, a project with one ProjectBootstrap, the session put in sessionStorage by an init script; `performance.now()` in the page (from navigation start) when the first row of the list is in the DOM; one cold-cache load, then 5 loads in new tabs of the same browser (warm cache).',
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

