import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { Child, factoryAppDir, spawnHost } from './children';
import { agent, sleep } from './client';
import { generatedBlueprint } from './blueprintGen';
import { closedLoop, fixedRate } from './load';

// The factory rows that need the factory app itself (the repository root) on the local host: the
// blueprint submit API, ProjectBootstrap end to end, the agent-task dispatch latency read from
// the host's per-invocation log lines of those same bootstraps, and API point reads.

/** The bootstrap PlatformAdmin key the bench starts the factory app with (loopback only). */
const ADMIN_KEY = 'bench-admin-key-0123456789abcdef0123456789';
const VETCLINIC = fs.readFileSync(path.join(factoryAppDir, 'shared/blueprints/examples/vetclinic.yaml'), 'utf8');

interface Reply<T> {
  status: number;
  body: T;
}

interface InvocationLine {
  time: string;
  function: string;
  traceId: string;
  durationMs: number;
  outcome: string;
}

export class FactoryClient {
  constructor(private readonly origin: string) {}

  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- replies are checked field by field
  call<T = any>(method: string, route: string, options: { key?: string; body?: unknown; raw?: string; contentType?: string } = {}): Promise<Reply<T>> {
    const payload = options.raw !== undefined ? Buffer.from(options.raw) : options.body !== undefined ? Buffer.from(JSON.stringify(options.body)) : undefined;
    const headers: Record<string, string | number> = { authorization: `Bearer ${options.key ?? ADMIN_KEY}`, 'content-length': payload?.length ?? 0 };
    if (payload) headers['content-type'] = options.contentType ?? 'application/json';
    return new Promise((resolve, reject) => {
      const req = http.request(`${this.origin}/api/${route}`, { method, agent, headers, timeout: 60_000 }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let body: unknown = text;
          try {
            body = text ? JSON.parse(text) : undefined;
          } catch {
            /* not JSON */
          }
          resolve({ status: res.statusCode ?? 0, body: body as T });
        });
        res.on('error', reject);
      });
      req.on('timeout', () => req.destroy(new Error(`${method} ${route} timed out`)));
      req.on('error', reject);
      req.end(payload);
    });
  }

  async expect<T>(status: number, method: string, route: string, options: Parameters<FactoryClient['call']>[2] = {}): Promise<T> {
    const reply = await this.call<T>(method, route, options);
    if (reply.status !== status) throw new Error(`${method} ${route} answered ${reply.status} (expected ${status}): ${JSON.stringify(reply.body).slice(0, 400)}`);
    return reply.body;
  }
}

export interface Tenant {
  tenantId: string;
  admin: string;
  architect: string;
  viewer: string;
}

export async function setupTenant(api: FactoryClient, tenantId: string): Promise<Tenant> {
  await api.expect(201, 'POST', 'tenants', { body: { tenantId, name: `Bench ${tenantId}`, edition: 'enterprise' } });
  const key = async (name: string, roles: string[]) => (await api.expect<{ secret: string }>(201, 'POST', `tenants/${tenantId}/keys`, { body: { name, roles } })).secret;
  return { tenantId, admin: await key('admin', ['TenantAdmin']), architect: await key('architect', ['Architect']), viewer: await key('viewer', ['Viewer']) };
}

export async function createProject(api: FactoryClient, tenant: Tenant, projectId: string): Promise<void> {
  await api.expect(201, 'POST', `tenants/${tenant.tenantId}/projects`, { key: tenant.admin, body: { projectId, name: projectId } });
}

export interface FactoryHost {
  host: Child;
  api: FactoryClient;
  tenant: Tenant;
  invocations: InvocationLine[];
}

/**
 * The factory app on the local host and a tenant with keys; with `invocationLog` (default) the host
 * logs each invocation and the dispatch lines are kept, otherwise it runs `--quiet`. `env` adds
 * settings (e.g. `FACTORY_RATE_LIMIT_*`).
 */
export async function startFactory(options: { invocationLog?: boolean; env?: NodeJS.ProcessEnv; nodeArgs?: string[] } = {}): Promise<FactoryHost> {
  const invocationLog = options.invocationLog ?? true;
  const invocations: InvocationLine[] = [];
  const host = await spawnHost('factory host', {
    quiet: !invocationLog,
    appDir: factoryAppDir,
    env: { FACTORY_ADMIN_KEY: ADMIN_KEY, ...options.env },
    nodeArgs: options.nodeArgs,
    onLine: (line) => {
      if (!invocationLog || !line.includes('"message":"invocation"')) return;
      if (!line.includes('"function":"DispatchAgentTask"') && !line.includes('"function":"agentTaskExecutor"')) return;
      invocations.push(JSON.parse(line) as InvocationLine);
    },
  });
  const api = new FactoryClient(host.origin);
  const tenant = await setupTenant(api, 'bench');
  return { host, api, tenant, invocations };
}

/**
 * HTTP submit latency: `POST .../blueprints` with the YAML text of a generated `modules`-module
 * blueprint, `runs` times, each a distinct content (metadata.description differs), so each is
 * parsed, validated and stored as a new version (201). Client time from send to body read; one
 * warm-up submit first (not counted).
 */
export async function submitLatency(factory: FactoryHost, modules: number, runs: number): Promise<number[]> {
  const { api, tenant } = factory;
  await createProject(api, tenant, 'submit');
  const route = `tenants/${tenant.tenantId}/projects/submit/blueprints`;
  const ms: number[] = [];
  for (let i = 0; i <= runs; i++) {
    const text = generatedBlueprint(modules, i);
    const t0 = performance.now();
    const version = await api.expect<{ version: number; modules: unknown[] }>(201, 'POST', route, { key: tenant.architect, raw: text, contentType: 'application/yaml' });
    const elapsed = performance.now() - t0;
    if (version.version !== i + 1 || version.modules.length !== modules) throw new Error(`submit ${i}: version ${version.version} with ${version.modules.length} modules`);
    if (i > 0) ms.push(elapsed);
  }
  return ms;
}

export interface PointReads {
  /** `GET …/projects/{p}` latencies (send → body read) at the fixed rate, ms. */
  latencies: number[];
  /** Closed-loop throughput of the same route and of the bare node:http server, alternating rounds. */
  hostRps: number;
  bareRps: number;
}

/**
 * API point reads on the factory app: a new project, then `GET /api/tenants/{t}/projects/{p}` with
 * the tenant's Viewer key (auth, tenant scope, params validation, a store read, JSON answer). After
 * a 1 s closed-loop warm-up per side: an open loop at `perSecond` for `durationMs`; then closed
 * loops of `concurrency` in flight, `rounds` alternating rounds of `roundMs` per side against the
 * bare node:http server at `bareOrigin` (as the HTTP rows do).
 */
export async function projectPointReads(
  factory: FactoryHost,
  bareOrigin: string,
  options: { perSecond: number; durationMs: number; concurrency: number; rounds: number; roundMs: number },
): Promise<PointReads> {
  const { api, tenant } = factory;
  const projectId = 'reads';
  await createProject(api, tenant, projectId);
  const route = `tenants/${tenant.tenantId}/projects/${projectId}`;
  const read = await api.expect<{ projectId: string; tenantId: string }>(200, 'GET', route, { key: tenant.viewer });
  if (read.projectId !== projectId || read.tenantId !== tenant.tenantId) throw new Error(`GET ${route} answered ${JSON.stringify(read)}`);
  const headers = { authorization: `Bearer ${tenant.viewer}` };
  const hostUrl = () => `${factory.host.origin}/api/${route}`;
  const bareUrl = (i: number) => `${bareOrigin}/items/${i % 1000}`;
  await closedLoop(bareUrl, options.concurrency, 1000); // warm-up: connections, JIT
  await closedLoop(hostUrl, options.concurrency, 1000, headers);
  await sleep(500);
  const latencies = await fixedRate(hostUrl, options.perSecond, options.durationMs, headers);
  const sum = { bare: { requests: 0, seconds: 0 }, host: { requests: 0, seconds: 0 } };
  for (let round = 0; round < options.rounds; round++) {
    const b = await closedLoop(bareUrl, options.concurrency, options.roundMs);
    const h = await closedLoop(hostUrl, options.concurrency, options.roundMs, headers);
    sum.bare.requests += b.requests;
    sum.bare.seconds += b.seconds;
    sum.host.requests += h.requests;
    sum.host.seconds += h.seconds;
  }
  return { latencies, hostRps: sum.host.requests / sum.host.seconds, bareRps: sum.bare.requests / sum.bare.seconds };
}

export interface BootstrapRun {
  /** Client clock: just before the start POST → first poll that sees Completed. */
  totalMs: number;
  /** Server records: workflow startedAt → approval requestedAt, and approval decidedAt → workflow finishedAt. */
  toApprovalMs: number;
  afterApprovalMs: number;
  /** Server records: approval requestedAt → decidedAt (the bench's poll and decision). */
  approvalWaitMs: number;
  traceId: string;
  agentTasks: number;
}

interface WorkflowView {
  workflowId: string;
  status: string;
  traceId: string;
  startedAt: string;
  finishedAt?: string;
  failure?: string;
  summary?: { modules: { name: string; validated: boolean }[]; commit?: { created: boolean } };
  timeline?: { step: string; status: string; skill?: string; attempts: number }[];
}

interface ApprovalView {
  approvalId?: string;
  id?: string;
  workflowId: string;
  status: string;
  requestedAt: string;
  decidedAt?: string;
}

async function until<T>(what: string, timeoutMs: number, pollMs: number, check: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(pollMs);
  }
}

/**
 * One ProjectBootstrap of the SPEC §8 blueprint on a new project: submit, start, approve the
 * ArchitectureApproval as an Architect as soon as the bench sees it pending (10 ms polls), then
 * poll the workflow (20 ms) until it leaves Running. Fails unless it Completed with every module
 * validated and a commit created.
 */
export async function bootstrapOnce(factory: FactoryHost, projectId: string): Promise<BootstrapRun> {
  const { api, tenant } = factory;
  await createProject(api, tenant, projectId);
  await api.expect(201, 'POST', `tenants/${tenant.tenantId}/projects/${projectId}/blueprints`, { key: tenant.architect, raw: VETCLINIC, contentType: 'application/yaml' });
  const base = `tenants/${tenant.tenantId}/projects/${projectId}/workflows`;
  const t0 = Date.now();
  const { workflowId } = await api.expect<WorkflowView>(202, 'POST', base, { key: tenant.admin, body: { kind: 'ProjectBootstrap' } });
  const approvalId = await until(`the approval of ${workflowId}`, 120_000, 10, async () => {
    const page = await api.expect<{ items: ApprovalView[] }>(200, 'GET', `tenants/${tenant.tenantId}/approvals?status=pending`, { key: tenant.architect });
    const found = page.items.find((a) => a.workflowId === workflowId);
    if (found) return found.approvalId ?? found.id;
    const w = await api.expect<WorkflowView>(200, 'GET', `${base}/${workflowId}`, { key: tenant.viewer });
    if (w.status !== 'Running') throw new Error(`workflow ${workflowId} ended ${w.status} before its approval: ${w.failure}`);
    return undefined;
  });
  await api.expect(200, 'POST', `tenants/${tenant.tenantId}/approvals/${approvalId}/decision`, { key: tenant.architect, body: { decision: 'approve', comment: 'bench' } });
  const done = await until(`workflow ${workflowId}`, 240_000, 20, async () => {
    const w = await api.expect<WorkflowView>(200, 'GET', `${base}/${workflowId}`, { key: tenant.viewer });
    return w.status === 'Running' ? undefined : w;
  });
  const totalMs = Date.now() - t0;
  if (done.status !== 'Completed') throw new Error(`workflow ${workflowId} ended ${done.status}: ${done.failure}`);
  const modules = done.summary?.modules ?? [];
  if (modules.length !== 3 || !modules.every((m) => m.validated) || !done.summary?.commit?.created) throw new Error(`workflow ${workflowId} completed without 3 validated modules and a commit: ${JSON.stringify(done.summary)}`);
  const approval = await api.expect<ApprovalView>(200, 'GET', `tenants/${tenant.tenantId}/approvals/${approvalId}`, { key: tenant.architect });
  const at = (iso: string | undefined, what: string) => {
    const t = Date.parse(iso ?? '');
    if (Number.isNaN(t)) throw new Error(`workflow ${workflowId}: no ${what}`);
    return t;
  };
  const startedAt = at(done.startedAt, 'startedAt');
  const finishedAt = at(done.finishedAt, 'finishedAt');
  const requestedAt = at(approval.requestedAt, 'approval requestedAt');
  const decidedAt = at(approval.decidedAt, 'approval decidedAt');
  const agentTasks = (done.timeline ?? []).filter((s) => s.skill).reduce((n, s) => n + s.attempts, 0);
  return { totalMs, toApprovalMs: requestedAt - startedAt, afterApprovalMs: finishedAt - decidedAt, approvalWaitMs: decidedAt - requestedAt, traceId: done.traceId, agentTasks };
}

/**
 * Dispatch latency of the agent tasks of the given workflows, from the host's invocation lines
 * (`time` is the end of an invocation, ISO with 1 ms resolution; `durationMs` its length):
 * sent ≈ end of the `DispatchAgentTask` activity (the send to `agent-tasks` is its last step),
 * executor start = end of the `agentTaskExecutor` invocation − its durationMs. The workflows ran
 * one at a time, so the invocations of one workflow are those between its start and the next's;
 * the executor lines carry the workflow's trace id, which checks that. Within a workflow the
 * broker delivers `agent-tasks` in enqueue order (ORDER BY seq), so the k-th dispatch (by end
 * time) pairs with the k-th executor start.
 */
export function dispatchLatencies(invocations: readonly InvocationLine[], windows: { traceId: string; from: number; to: number }[]): number[] {
  const latencies: number[] = [];
  for (const w of windows) {
    const within = invocations.filter((l) => {
      const end = Date.parse(l.time);
      return end >= w.from && end <= w.to;
    });
    const failed = within.filter((l) => l.outcome !== 'Succeeded');
    if (failed.length) throw new Error(`${failed.length} failed ${failed[0].function} invocations in workflow trace ${w.traceId}`);
    const sent = within.filter((l) => l.function === 'DispatchAgentTask').map((l) => Date.parse(l.time)).sort((a, b) => a - b);
    const executors = within.filter((l) => l.function === 'agentTaskExecutor');
    const foreign = executors.filter((l) => l.traceId !== w.traceId);
    if (foreign.length) throw new Error(`${foreign.length} executor invocations of another trace inside workflow trace ${w.traceId}`);
    const started = executors.map((l) => Date.parse(l.time) - l.durationMs).sort((a, b) => a - b);
    if (sent.length === 0 || sent.length !== started.length) throw new Error(`workflow trace ${w.traceId}: ${sent.length} dispatches but ${started.length} executor runs`);
    for (let k = 0; k < sent.length; k++) {
      const latency = started[k] - sent[k];
      if (latency < -1.5) throw new Error(`workflow trace ${w.traceId}: executor run ${k} started ${-latency} ms before its dispatch ended`);
      latencies.push(Math.max(0, latency));
    }
  }
  return latencies;
}
