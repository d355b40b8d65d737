import { ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export const repoRoot = path.resolve(__dirname, '..', '..', '..');
export const hostBin = path.join(repoRoot, 'dist', 'local', 'bin', 'factory-host.js');
export const fixtureApp = (name: string) => path.join(repoRoot, 'dist', 'test', 'fixtures', name);

/** Host keys every test host starts with (FACTORY_HOST_*_KEY), unless the test sets its own. */
export const TEST_HOST_KEYS = {
  masterKey: 'test-master-key-0123456789abcdef',
  systemKey: 'test-system-key-0123456789abcdef',
  functionKey: 'test-function-key-0123456789abcdef',
};

export interface HostProcess {
  origin: string;
  port: number;
  dataDir: string;
  /** The keys the host runs with: send as `x-functions-key` (or `code=`) to /admin and /runtime routes. */
  masterKey: string;
  systemKey: string;
  functionKey: string;
  child: ChildProcess;
  /** Every line the host printed so far. */
  output: string[];
  stop(): Promise<void>;
  kill9(): Promise<void>;
}

export function tempDataDir(prefix = 'factory-host-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/** Starts `factory-host` as a child process on a free loopback port and waits until it listens. */
export function spawnHost(appDir: string, options: { dataDir?: string; port?: number; env?: NodeJS.ProcessEnv; args?: string[] } = {}): Promise<HostProcess> {
  const dataDir = options.dataDir ?? tempDataDir();
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    FACTORY_HOST_MASTER_KEY: TEST_HOST_KEYS.masterKey,
    FACTORY_HOST_SYSTEM_KEY: TEST_HOST_KEYS.systemKey,
    FACTORY_HOST_FUNCTION_KEY: TEST_HOST_KEYS.functionKey,
    ...options.env,
  };
  const keys = { masterKey: env.FACTORY_HOST_MASTER_KEY ?? '', systemKey: env.FACTORY_HOST_SYSTEM_KEY ?? '', functionKey: env.FACTORY_HOST_FUNCTION_KEY ?? '' };
  const child = spawn(process.execPath, [hostBin, appDir, '--port', String(options.port ?? 0), '--data-dir', dataDir, ...(options.args ?? [])], {
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  let exited = false;
  const exitPromise = new Promise<void>((resolve) => child.once('exit', () => {
    exited = true;
    resolve();
  }));
  return new Promise((resolve, reject) => {
    let buffer = '';
    const onData = (chunk: Buffer) => {
      buffer += chunk.toString();
      let i: number;
      while ((i = buffer.indexOf('\n')) >= 0) {
        const line = buffer.slice(0, i);
        buffer = buffer.slice(i + 1);
        output.push(line);
        const m = /listening on (http:\/\/localhost:(\d+))/.exec(line);
        if (m) {
          resolve({
            origin: m[1],
            port: Number(m[2]),
            dataDir,
            ...keys,
            child,
            output,
            async stop() {
              if (!exited) child.kill('SIGTERM');
              await exitPromise;
            },
            async kill9() {
              if (!exited) child.kill('SIGKILL');
              await exitPromise;
            },
          });
        }
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', (chunk: Buffer) => output.push(...chunk.toString().split('\n').filter(Boolean)));
    child.once('exit', (code) => reject(new Error(`factory-host exited with ${code} before listening:\n${output.join('\n')}`)));
  });
}

/** Headers carrying a host key, for direct calls to /admin and /runtime routes. */
export const withKey = (key: string, headers: Record<string, string> = {}): Record<string, string> => ({ ...headers, 'x-functions-key': key });

/** Polls `check` until it returns a value other than undefined, or fails after `timeoutMs`. */
export async function eventually<T>(check: () => Promise<T | undefined>, timeoutMs = 60_000, what = 'condition'): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value !== undefined) return value;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}${last ? `: ${String(last)}` : ''}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}
