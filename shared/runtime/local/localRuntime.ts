import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { configHashOf, type DesiredEnvironment, type EnvironmentRef, type LiveModule, type LiveReplica, type ModuleApplyOutcome, type ModuleDeployment, type RepositorySource, type RuntimeProvider } from '../port';
import { buildModule, readPackage } from './moduleBuild';
import { findTaggedProcesses, stopReplica, TAG, type TaggedProcess } from './processTable';
import { becomesReady, probeReady } from './readiness';
import { brokerNamespace, freePort, localBrokerEndpoint, logTail, replicaEnvironment, startReplica, type StartedReplica } from './replicaProcess';

const DEFAULT_READY_TIMEOUT_MS = 60_000;
/** How long a running replica of the desired version and configuration may take to answer ready before it is replaced. */
const RUNNING_READY_GRACE_MS = 15_000;

/** The configuration hash of a running process, from the values it really has. */
function liveConfigHash(env: Record<string, string>): string {
  const keys = (env[TAG.configKeys] ?? '').split(',').filter(Boolean);
  const secretNames = (env[TAG.secretKeys] ?? '').split(',').filter(Boolean);
  return configHashOf(Object.fromEntries(keys.map((key) => [key, env[key] ?? ''])), secretNames);
}

/**
 * Why a running replica no longer fits this host although its version and configuration do: a
 * replica re-adopted after a restart keeps the broker origin and key of the host that started it,
 * so when this host listens elsewhere or has another master key it has lost its broker.
 */
function staleness(env: Record<string, string>): string | undefined {
  const broker = localBrokerEndpoint();
  const key = broker?.namespaceKey(brokerNamespace({ tenantId: env[TAG.tenant] ?? '', projectId: env[TAG.project] ?? '', environment: env[TAG.environment] ?? '' })) ?? '';
  if ((env.BROKER_URL ?? '') === (broker?.url ?? '') && (env.BROKER_KEY ?? '') === key) return undefined;
  return (env.BROKER_URL ?? '') === (broker?.url ?? '') ? 'broker key changed' : `broker endpoint changed (${env.BROKER_URL ?? 'none'} → ${broker?.url ?? 'none'})`;
}

const inEnvironment = (ref: EnvironmentRef) => (p: TaggedProcess) =>
  p.env[TAG.tenant] === ref.tenantId && p.env[TAG.project] === ref.projectId && p.env[TAG.environment] === ref.environment;

/**
 * Runs modules as processes on this machine: one per replica, on a free loopback port, started
 * with the module's `npm start` script from a build of its folder at the release commit. What runs
 * is found again by the tags in each process's environment (Linux /proc), so after the factory's
 * host is killed its replicas are re-adopted, not restarted — unless the broker endpoint they were
 * given is no longer this host's (another port or master key): those are replaced, as changed.
 * State lives under `root` (`<data dir>/runtime`): builds, logs, the services' SQLite files and the
 * recorded desired states.
 */
export class LocalRuntimeProvider implements RuntimeProvider {
  readonly name = 'local' as const;

  /** Applies and teardowns of one environment run one at a time (a reconcile racing a release must not double replicas). */
  private readonly locks = new Map<string, Promise<unknown>>();

  constructor(private readonly root: string) {}

  private exclusive<T>(ref: EnvironmentRef, work: () => Promise<T>): Promise<T> {
    const key = `${ref.tenantId}/${ref.projectId}/${ref.environment}`;
    const run = (this.locks.get(key) ?? Promise.resolve()).then(work, work);
    this.locks.set(key, run.catch(() => undefined));
    return run;
  }

  private environmentDir(ref: EnvironmentRef): string {
    return path.join(this.root, 'environments', ref.tenantId, ref.projectId, ref.environment);
  }

  private buildsDir(project: { tenantId: string; projectId: string }): string {
    return path.join(this.root, 'builds', project.tenantId, project.projectId);
  }

  /** Builds modules ahead of a release (once per artifact hash; a release arriving meanwhile shares the build). */
  async prepare(project: { tenantId: string; projectId: string }, modules: { source: RepositorySource; artifactHash: string }[]): Promise<void> {
    await Promise.allSettled(modules.map((m) => buildModule(this.buildsDir(project), m.source, m.artifactHash)));
  }

  apply(desired: DesiredEnvironment, options: { readyTimeoutMs?: number } = {}): Promise<ModuleApplyOutcome[]> {
    return this.exclusive(desired, () => this.applyNow(desired, options));
  }

  private async applyNow(desired: DesiredEnvironment, options: { readyTimeoutMs?: number }): Promise<ModuleApplyOutcome[]> {
    const running = findTaggedProcesses(this.root).filter(inEnvironment(desired));
    const wanted = new Set(desired.modules.map((m) => m.module));
    const outcomes = await Promise.all(desired.modules.map((module) => this.applyModule(desired, module, running.filter((p) => p.env[TAG.module] === module.module), options.readyTimeoutMs ?? DEFAULT_READY_TIMEOUT_MS)));
    await Promise.all(running.filter((p) => !wanted.has(p.env[TAG.module])).map((p) => stopReplica(p.pid)));
    if (outcomes.every((o) => o.status !== 'failed')) await this.recordDesired(desired);
    return outcomes;
  }

  private async applyModule(desired: DesiredEnvironment, module: ModuleDeployment, current: TaggedProcess[], readyTimeoutMs: number): Promise<ModuleApplyOutcome> {
    const hash = configHashOf(module.config, Object.keys(module.secrets));
    const matching = current.filter((p) => p.env.SERVICE_VERSION === module.version && liveConfigHash(p.env) === hash && !staleness(p.env));
    const readiness = await Promise.all(matching.map((p) => becomesReady(Number(p.env.PORT), RUNNING_READY_GRACE_MS)));
    const keep = matching.filter((_, i) => readiness[i]).slice(0, module.replicas);
    const stale = current.filter((p) => !keep.includes(p));
    if (keep.length === module.replicas && stale.length === 0) return { module: module.module, status: 'unchanged', replicas: keep.map(toReplica) };
    let started: StartedReplica[] = [];
    let timings: ModuleApplyOutcome['timings'];
    try {
      if (!module.source) throw new Error(`${module.module}: the local provider needs the module's repository source.`);
      const t0 = Date.now();
      const dir = await buildModule(this.buildsDir(desired), module.source, module.artifactHash);
      const startScript = readPackage(dir).scripts.start;
      const t1 = Date.now();
      started = await Promise.all(Array.from({ length: module.replicas - keep.length }, () => this.startOne(desired, module, dir, startScript)));
      const failure = await this.waitReady(started, readyTimeoutMs);
      timings = { buildMs: t1 - t0, readyMs: Date.now() - t1 };
      if (failure) {
        await Promise.all(started.map((r) => stopReplica(r.pid, 2000)));
        return { module: module.module, status: 'failed', replicas: keep.map(toReplica), reason: failure };
      }
    } catch (error) {
      await Promise.all(started.map((r) => stopReplica(r.pid, 2000)));
      return { module: module.module, status: 'failed', replicas: keep.map(toReplica), reason: error instanceof Error ? error.message : String(error) };
    }
    await Promise.all(stale.map((p) => stopReplica(p.pid)));
    return { module: module.module, status: 'updated', replicas: [...keep.map(toReplica), ...started.map((r) => ({ id: r.id, pid: r.pid, port: r.port, url: `http://127.0.0.1:${r.port}`, ready: true }))], timings };
  }

  private async startOne(desired: DesiredEnvironment, module: ModuleDeployment, dir: string, startScript: string): Promise<StartedReplica> {
    const environmentDir = this.environmentDir(desired);
    await fs.promises.mkdir(environmentDir, { recursive: true });
    const id = `${module.module}-${randomBytes(4).toString('hex')}`;
    const port = await freePort();
    const env = replicaEnvironment(this.root, environmentDir, desired, module, id, port);
    return startReplica({ cwd: dir, startScript, env, logDir: path.join(environmentDir, 'logs'), id, port });
  }

  /** Undefined when every replica answers ready; else why not (exit code and log tail, or timeout). */
  private async waitReady(replicas: StartedReplica[], timeoutMs: number): Promise<string | undefined> {
    const outcomes = await Promise.all(
      replicas.map(async (replica) => {
        let exitCode: number | null | undefined;
        void replica.exited.then((code) => (exitCode = code));
        const deadline = Date.now() + timeoutMs;
        while (Date.now() < deadline) {
          if (exitCode !== undefined) return `replica ${replica.id} exited with code ${exitCode} at start: ${logTail(replica.logFile)}`;
          if (await probeReady(replica.port, 1000)) return undefined;
          await new Promise((r) => setTimeout(r, 50));
        }
        return `replica ${replica.id} was not ready within ${timeoutMs} ms: ${logTail(replica.logFile)}`;
      }),
    );
    return outcomes.find((o) => o !== undefined);
  }

  async live(ref: EnvironmentRef): Promise<LiveModule[]> {
    return this.liveOf(findTaggedProcesses(this.root).filter(inEnvironment(ref)));
  }

  /** Live state of many environments from one process scan (the drift timer's path). */
  async liveMany(refs: EnvironmentRef[]): Promise<LiveModule[][]> {
    const all = findTaggedProcesses(this.root);
    return Promise.all(refs.map((ref) => this.liveOf(all.filter(inEnvironment(ref)))));
  }

  private async liveOf(processes: TaggedProcess[]): Promise<LiveModule[]> {
    const modules = new Map<string, LiveModule>();
    const ready = await Promise.all(processes.map((p) => probeReady(Number(p.env.PORT))));
    processes.forEach((p, i) => {
      const name = p.env[TAG.module];
      const module = modules.get(name) ?? modules.set(name, { module: name, version: p.env.SERVICE_VERSION, releaseId: p.env[TAG.release], configHash: liveConfigHash(p.env), replicas: [] }).get(name)!;
      module.replicas.push({ ...toReplica(p), ready: ready[i] });
    });
    for (const module of modules.values()) {
      module.replicas.sort((a, b) => a.id.localeCompare(b.id));
      module.endpoint = module.replicas.find((r) => r.ready)?.url;
    }
    return [...modules.values()].sort((a, b) => a.module.localeCompare(b.module));
  }

  teardown(ref: EnvironmentRef): Promise<number> {
    return this.exclusive(ref, () => this.teardownNow(ref));
  }

  private async teardownNow(ref: EnvironmentRef): Promise<number> {
    const running = findTaggedProcesses(this.root).filter(inEnvironment(ref));
    await Promise.all(running.map((p) => stopReplica(p.pid)));
    await fs.promises.rm(path.join(this.environmentDir(ref), 'desired.json'), { force: true });
    return running.length;
  }

  /** Every replica of every environment this data dir runs: the pids tests and `stop` end. */
  runningPids(): number[] {
    return findTaggedProcesses(this.root).map((p) => p.pid);
  }

  /** Re-applies every recorded desired state (host start): running replicas are kept, missing ones started. */
  async reconcileRecorded(): Promise<{ environments: number; outcomes: ModuleApplyOutcome[] }> {
    const outcomes: ModuleApplyOutcome[] = [];
    const files = await recordedStates(path.join(this.root, 'environments'));
    for (const file of files) {
      const desired = JSON.parse(await fs.promises.readFile(file, 'utf8')) as DesiredEnvironment;
      outcomes.push(...(await this.apply(desired)));
    }
    return { environments: files.length, outcomes };
  }

  private async recordDesired(desired: DesiredEnvironment): Promise<void> {
    const dir = this.environmentDir(desired);
    await fs.promises.mkdir(dir, { recursive: true });
    // Readable by the factory's user only: it holds the resolved secret bindings the reconcile needs.
    const temp = path.join(dir, `desired.json.${process.pid}`);
    await fs.promises.writeFile(temp, JSON.stringify(desired, null, 2), { mode: 0o600 });
    await fs.promises.rename(temp, path.join(dir, 'desired.json'));
  }
}

function toReplica(p: TaggedProcess): LiveReplica {
  const port = Number(p.env.PORT);
  const stale = staleness(p.env);
  return { id: p.env[TAG.replica], pid: p.pid, port, url: `http://127.0.0.1:${port}`, ready: true, version: p.env.SERVICE_VERSION, configHash: liveConfigHash(p.env), ...(stale ? { stale } : {}) };
}

async function recordedStates(dir: string): Promise<string[]> {
  const found: string[] = [];
  const walk = async (current: string, depth: number): Promise<void> => {
    let entries: fs.Dirent[];
    try {
      entries = await fs.promises.readdir(current, { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      if (entry.isDirectory() && depth < 3) await walk(path.join(current, entry.name), depth + 1);
      else if (entry.isFile() && entry.name === 'desired.json' && depth === 3) found.push(path.join(current, entry.name));
    }
  };
  await walk(dir, 0);
  return found;
}
