import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import type { DesiredEnvironment, ModuleDeployment } from '../port';
import { TAG } from './processTable';

/** A replica just started: its process, port and log file. */
export interface StartedReplica {
  id: string;
  pid: number;
  port: number;
  logFile: string;
  /** Resolves with the exit code if the process ends (a replica that exits at start failed). */
  exited: Promise<number | null>;
}

/** Variables a replica inherits from the factory's process (nothing else: no factory secrets). */
const INHERITED = ['PATH', 'HOME', 'LANG', 'TZ', 'SYSTEMROOT', 'TMPDIR'];

/** A free loopback port (the kernel picks one; released just before the replica binds it). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const port = (server.address() as net.AddressInfo).port;
      server.close(() => resolve(port));
    });
  });
}

/**
 * The local host's broker as processes outside it reach it (its origin, and the key of one broker
 * namespace — `local/broker/namespaces.ts`), published by the host with its in-process broker;
 * undefined off the local host.
 */
export function localBrokerEndpoint(): { url: string; key: string; namespaceKey(namespace: string): string } | undefined {
  const broker = (globalThis as Record<symbol, { restEndpoint?: { url: string; key: string; namespaceKey(namespace: string): string } } | undefined>)[Symbol.for('factory-host.broker')];
  return broker?.restEndpoint;
}

/**
 * The broker namespace of an environment: its own topics and subscriptions, as each environment has
 * its own Service Bus namespace in Azure — no tenant, project or environment receives another's events.
 */
export function brokerNamespace(desired: Pick<DesiredEnvironment, 'tenantId' | 'projectId' | 'environment'>): string {
  return `${desired.tenantId}~${desired.projectId}~${desired.environment}`;
}

/** The platform bindings of a replica: port, store, broker, identity, trace and the discovery tags. */
export function replicaEnvironment(root: string, stateDir: string, desired: DesiredEnvironment, module: ModuleDeployment, id: string, port: number): Record<string, string> {
  const env: Record<string, string> = {};
  for (const key of INHERITED) if (process.env[key]) env[key] = process.env[key]!;
  Object.assign(env, module.config, module.secrets);
  const broker = localBrokerEndpoint();
  Object.assign(env, {
    NODE_ENV: 'production',
    HOST: '127.0.0.1',
    PORT: String(port),
    SERVICE_VERSION: module.version,
    STORE: 'sqlite',
    SQLITE_PATH: path.join(stateDir, `${module.module}.sqlite`),
    BROKER: 'local',
    ...(broker ? { BROKER_URL: broker.url, BROKER_KEY: broker.namespaceKey(brokerNamespace(desired)) } : {}),
    TENANT_ID: desired.tenantId,
    PROJECT_ID: desired.projectId,
    ...(module.traceId ? { TRACEPARENT: `00-${module.traceId}-${randomBytes(8).toString('hex')}-01`, OTEL_RESOURCE_ATTRIBUTES: `factory.trace_id=${module.traceId},service.version=${module.version}` } : {}),
    [TAG.root]: root,
    [TAG.tenant]: desired.tenantId,
    [TAG.project]: desired.projectId,
    [TAG.environment]: desired.environment,
    [TAG.module]: module.module,
    [TAG.replica]: id,
    [TAG.release]: desired.releaseId,
    [TAG.configKeys]: Object.keys(module.config).sort().join(','),
    [TAG.secretKeys]: Object.keys(module.secrets).sort().join(','),
  });
  return env;
}

/**
 * Starts one replica with the module's own `start` script (`exec`'d by /bin/sh so the recorded pid
 * is the service), detached in its own process group with output appended to a log file, so it
 * outlives a crash of the factory's host.
 */
export async function startReplica(options: { cwd: string; startScript: string; env: Record<string, string>; logDir: string; id: string; port: number }): Promise<StartedReplica> {
  await fs.promises.mkdir(options.logDir, { recursive: true });
  const logFile = path.join(options.logDir, `${options.id}.log`);
  const fd = fs.openSync(logFile, 'a');
  const simple = !/[;&|<>()`$\n]/.test(options.startScript);
  const binDir = path.join(options.cwd, 'node_modules', '.bin');
  const env = { ...options.env, PATH: `${binDir}${path.delimiter}${path.dirname(process.execPath)}${path.delimiter}${options.env.PATH ?? ''}` };
  const child = spawn('/bin/sh', ['-c', simple ? `exec ${options.startScript}` : options.startScript], { cwd: options.cwd, env, detached: true, stdio: ['ignore', fd, fd] });
  fs.closeSync(fd);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  await new Promise<void>((resolve, reject) => {
    child.once('spawn', () => resolve());
    child.once('error', reject);
  });
  child.unref();
  return { id: options.id, pid: child.pid!, port: options.port, logFile, exited };
}

/** The last `lines` lines of a replica's log (why it failed). */
export function logTail(file: string, lines = 8): string {
  try {
    return fs.readFileSync(file, 'utf8').trim().split('\n').slice(-lines).join('\n');
  } catch {
    return '';
  }
}
