import { ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** A child process of the bench that announced `listening on http://localhost:<port>`. */
export interface Child {
  name: string;
  origin: string;
  pid: number;
  /** The host's data dir (its SQLite file is `host.sqlite` there); empty for other children. */
  dataDir: string;
  /** Resident set size (VmRSS) of the child, in MB. */
  rssMb(): number;
  stop(): Promise<void>;
}

const distRoot = path.resolve(__dirname, '..');
const live = new Set<ChildProcess>();
const tempDirs: string[] = [];

/** Host keys every bench host runs with (sent as `x-functions-key` to /runtime and /admin routes). */
export const BENCH_HOST_KEYS = { master: 'bench-master-key-0123456789abcdef', system: 'bench-system-key-0123456789abcdef' };

/** A fresh data dir under the OS temp folder, removed by `cleanup()`. */
export function tempDir(prefix: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  tempDirs.push(dir);
  return dir;
}

/** The repository root: the factory app itself (host.json, package.json `main` → dist/). */
export const factoryAppDir = path.resolve(distRoot, '..');

/**
 * Starts `factory-host` on a free loopback port: on the compiled bench app, or on `appDir` (e.g.
 * the factory app) with extra environment variables and node options (e.g. `--cpu-prof`).
 */
export function spawnHost(name: string, options: { quiet: boolean; onLine?: (line: string) => void; appDir?: string; env?: NodeJS.ProcessEnv; nodeArgs?: string[] }): Promise<Child> {
  const dataDir = tempDir('factory-bench-');
  const args = [...(options.nodeArgs ?? []), path.join(distRoot, 'local', 'bin', 'factory-host.js'), options.appDir ?? path.join(distRoot, 'bench', 'app'), '--port', '0', '--data-dir', dataDir];
  if (options.quiet) args.push('--quiet');
  const env = { FACTORY_HOST_MASTER_KEY: BENCH_HOST_KEYS.master, FACTORY_HOST_SYSTEM_KEY: BENCH_HOST_KEYS.system, ...options.env };
  return spawnNode(name, args, dataDir, options.onLine, env);
}

/** Starts the bare `node:http` JSON server the HTTP row compares against. */
export function spawnBareServer(): Promise<Child> {
  return spawnNode('bare node:http', [path.join(__dirname, 'bareServer.js')], '');
}

function spawnNode(name: string, args: string[], dataDir: string, onLine?: (line: string) => void, env?: NodeJS.ProcessEnv): Promise<Child> {
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'], env: env ? { ...process.env, ...env } : process.env });
  live.add(child);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.once('exit', () => live.delete(child));
  const stderr: string[] = [];
  child.stderr!.on('data', (chunk: Buffer) => stderr.push(chunk.toString()));
  return new Promise((resolve, reject) => {
    let buffer = '';
    let ready = false;
    child.stdout!.on('data', (chunk: Buffer) => {
      buffer += chunk.toString();
      let i: number;
      while ((i = buffer.indexOf('\n')) >= 0) {
        const line = buffer.slice(0, i);
        buffer = buffer.slice(i + 1);
        onLine?.(line);
        const m = ready ? null : /listening on http:\/\/localhost:(\d+)/.exec(line);
        if (!m) continue;
        ready = true;
        resolve({
          name,
          origin: `http://127.0.0.1:${m[1]}`, // loopback by address: no localhost lookup per connection
          pid: child.pid!,
          dataDir,
          rssMb: () => vmRssMb(child.pid!),
          stop: () => stopChild(child, exited),
        });
      }
    });
    child.once('exit', (code) => {
      if (!ready) reject(new Error(`${name} exited with ${code} before listening: ${stderr.join('')}`));
    });
  });
}

async function stopChild(child: ChildProcess, exited: Promise<void>): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
  await exited;
  clearTimeout(timer);
}

function vmRssMb(pid: number): number {
  const m = /^VmRSS:\s+(\d+) kB/m.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
  if (!m) throw new Error(`no VmRSS for pid ${pid}`);
  return Number(m[1]) / 1024;
}

/** Stops every child this bench started and removes its temp dirs; safe to call twice. */
export async function cleanup(): Promise<void> {
  await Promise.all(
    [...live].map((child) => {
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      return stopChild(child, exited);
    }),
  );
  for (const dir of tempDirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
}

/** Synchronous last resort on exit or interrupt: SIGKILL whatever still runs, remove the temp dirs. */
export function killAllNow(): void {
  for (const child of live) child.kill('SIGKILL');
  for (const dir of tempDirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
}
