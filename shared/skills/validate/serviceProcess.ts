import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';

/** A generated service started the way `npm start` starts it. */
export interface ServiceProcess {
  url: string;
  /** The last lines it printed (stdout and stderr), for reports. */
  output: string[];
  /** SIGTERM, then SIGKILL after `graceMs`; resolves with the exit code (null when killed). */
  stop(graceMs?: number): Promise<number | null>;
}

const ADDRESS = /"address":"(http:\/\/[^"]+)"/;

/** What to spawn and how to find where it answers. */
export interface ProcessSpec {
  args: string[];
  cwd: string;
  env: Record<string, string>;
  /** Its first capture group is the base URL, read from the process's output. */
  listening: RegExp;
  /** Names it in errors ("the service", "the Functions host"). */
  what: string;
}

/**
 * Spawns `node <args>` with only `env` (and PATH, no NODE_OPTIONS) and resolves once the URL its
 * output names answers 200 on `GET /health/ready`; rejects with its last output when it exits or is
 * not ready within `timeoutMs`.
 */
export async function spawnUntilReady(spec: ProcessSpec, timeoutMs: number): Promise<ServiceProcess> {
  const child: ChildProcess = spawn(process.execPath, spec.args, { cwd: spec.cwd, env: { PATH: process.env.PATH ?? '', NODE_OPTIONS: '', ...spec.env }, stdio: ['ignore', 'pipe', 'pipe'] });
  const output: string[] = [];
  let url: string | undefined;
  let exitCode: number | null | undefined;
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve((exitCode = code))));
  const collect = (chunk: Buffer) => {
    for (const line of chunk.toString('utf8').split('\n').filter(Boolean)) {
      output.push(line.slice(0, 2000));
      if (output.length > 200) output.shift();
      url ??= spec.listening.exec(line)?.[1];
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
    if (exitCode !== undefined) throw new Error(`${spec.what} exited with ${exitCode} before it was ready: ${output.slice(-10).join('\n')}`);
    if (url) {
      const status = await fetch(`${url}/health/ready`).then((response) => response.status, () => 0);
      if (status === 200) return { url, output, stop };
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  await stop(0);
  throw new Error(`${spec.what} was not ready within ${timeoutMs} ms: ${output.slice(-10).join('\n')}`);
}

/**
 * Starts `node dist/src/main.js` in `dir` with only `env` (and PATH), on a free loopback port, and
 * resolves once `GET /health/ready` answers 200; rejects with its output when it exits or is not
 * ready within `timeoutMs`.
 */
export function startServiceProcess(dir: string, env: Record<string, string>, timeoutMs: number): Promise<ServiceProcess> {
  return spawnUntilReady({ args: [path.join('dist', 'src', 'main.js')], cwd: dir, env: { HOST: '127.0.0.1', PORT: '0', ...env }, listening: ADDRESS, what: 'the service' }, timeoutMs);
}
