import { existsSync } from 'node:fs';
import path from 'node:path';
import { spawnUntilReady, startServiceProcess, type ServiceProcess } from './serviceProcess';

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
export function startFunctionAppProcess(dir: string, env: Record<string, string>, timeoutMs: number): Promise<ServiceProcess> {
  return spawnUntilReady({ args: [FACTORY_HOST_BIN, dir, '--port', '0', '--data-dir', path.join(dir, '.data'), '--quiet'], cwd: dir, env, listening: LISTENING, what: 'the Functions host' }, timeoutMs);
}

/** Starts a generated module the way its kind runs: a Functions app on the local host, any other kind with `npm start`. */
export function startModuleProcess(dir: string, env: Record<string, string>, timeoutMs: number): Promise<ServiceProcess> {
  return isFunctionApp(dir) ? startFunctionAppProcess(dir, env, timeoutMs) : startServiceProcess(dir, env, timeoutMs);
}
