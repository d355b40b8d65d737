import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { startServiceProcess, type ServiceProcess } from './serviceProcess';

/** The factory's embedded Functions host, next to this compiled file (`dist/local/bin/factory-host.js`). */
export const FACTORY_HOST_BIN = path.resolve(__dirname, '..', '..', '..', 'local', 'bin', 'factory-host.js');

const LISTENING = /listening on (http:\/\/localhost:\d+)/;

/** Whether a generated module folder is an Azure Functions app (kind `function`: it has a `host.json`). */
export function isFunctionApp(dir: string): boolean {
  return existsSync(path.join(dir, 'host.json'));
}

/**
 * Starts a compiled generated Functions app (kind `function`) on the factory's local host —
 * `node dist/local/bin/factory-host.js <dir> --port 0 --data-dir <dir>/.data` with only `env` (and
 * PATH) — and resolves once `GET /health/ready` answers 200. Rejects with the host's output when it
 * exits or is not ready within `timeoutMs`. Same contract as {@link startServiceProcess}: `stop`
 * sends SIGTERM (the host stops the app, which closes its store and broker) and resolves with the exit code.
 */
export async function startFunctionAppProcess(dir: string, env: Record<string, string>, timeoutMs: number): Promise<ServiceProcess> {
  const child: ChildProcess = spawn(process.execPath, [FACTORY_HOST_BIN, dir, '--port', '0', '--data-dir', path.join(dir, '.data'), '--quiet'], {
    cwd: dir,
    env: { PATH: process.env.PATH ?? '', NODE_OPTIONS: '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  let url: string | undefined;
  let exitCode: number | null | undefined;
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve((exitCode = code))));
  const collect = (chunk: Buffer) => {
    for (const line of chunk.toString('utf8').split('\n').filter(Boolean)) {
      output.push(line.slice(0, 2000));
      if (output.length > 200) output.shift();
      url ??= LISTENING.exec(line)?.[1];
    }
  };
  child.stdout!.on('data', collect);
  child.stderr!.on('data', collect);
  const stop = async (graceMs = 10_000) => {
    if (exitCode === undefined) {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await exited;
      clearTimeout(timer);
    }
    return exited;
  };
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (exitCode !== undefined) throw new Error(`the Functions host exited with ${exitCode} before the app was ready: ${output.slice(-10).join('\n')}`);
    if (url) {
      const status = await fetch(`${url}/health/ready`).then((response) => response.status, () => 0);
      if (status === 200) return { url, output, stop };
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  await stop(0);
  throw new Error(`the Functions app was not ready within ${timeoutMs} ms: ${output.slice(-10).join('\n')}`);
}

/** Starts a generated module the way its kind runs: a Functions app on the local host, any other kind with `npm start`. */
export function startModuleProcess(dir: string, env: Record<string, string>, timeoutMs: number): Promise<ServiceProcess> {
  return isFunctionApp(dir) ? startFunctionAppProcess(dir, env, timeoutMs) : startServiceProcess(dir, env, timeoutMs);
}
