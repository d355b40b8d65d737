import path from 'node:path';
import { CaptureBroker } from './captureBroker';
import { runContractTest, type ContractInput, type ContractRun } from './contractTest';
import { startModuleProcess } from './functionAppProcess';
import type { ServiceProcess } from './serviceProcess';

export type ContractOptions = ContractInput & { env?: Record<string, string> };

/**
 * The compiled service, started (or starting) on a fresh SQLite file and a capturing broker while
 * the generated tests run. `check` runs the contract test and stops it with SIGTERM (it must exit 0);
 * `discard` stops it without a verdict (the tests failed, so the contract is not part of the report).
 */
export interface RunningService {
  check(): Promise<ContractRun>;
  discard(): Promise<void>;
}

type Started = { ok: true; broker: CaptureBroker; service: ServiceProcess } | { ok: false; error: string };

const failure = (dir: string, error: unknown) => (error as Error).message.split(dir).join('.').slice(0, 2000);

/** The broker listens before this resolves; the service process is spawned, not yet ready. */
async function start(dir: string, contract: ContractOptions, timeoutMs: number): Promise<Promise<Started>> {
  const broker = new CaptureBroker();
  try {
    const brokerUrl = await broker.start();
    const env = { STORE: 'sqlite', SQLITE_PATH: path.join(dir, 'data', 'contract.db'), BROKER: 'local', BROKER_URL: brokerUrl, BROKER_KEY: broker.key, LOG_LEVEL: 'info', RECEIVE_WAIT_MS: '500', ...contract.env };
    return startModuleProcess(dir, env, timeoutMs).then(
      (service): Started => ({ ok: true, broker, service }),
      async (error: unknown): Promise<Started> => {
        await broker.stop();
        return { ok: false, error: failure(dir, error) };
      },
    );
  } catch (error) {
    await broker.stop().catch(() => undefined);
    return Promise.resolve({ ok: false, error: failure(dir, error) });
  }
}

async function checkStarted(dir: string, started: Extract<Started, { ok: true }>, contract: ContractOptions): Promise<ContractRun> {
  const { broker, service } = started;
  let run: ContractRun;
  try {
    run = await runContractTest(service.url, contract, broker);
  } catch (error) {
    run = { ran: false, operations: [], events: [], error: failure(dir, error) };
  }
  const code = await service.stop();
  await broker.stop();
  return code === 0 ? run : { ...run, error: `on SIGTERM the service exited with ${code}, not 0: ${service.output.slice(-5).join('\n')}` };
}

/**
 * Spawns `dist/src/main.js` under `dir`, or a function app on the local host (see `startModuleProcess`; ready within `timeoutMs` or the
 * check fails with its output) and resolves once it is spawned, so that its start overlaps the
 * generated tests and the type check.
 */
export async function startRunningService(dir: string, contract: ContractOptions, timeoutMs: number): Promise<RunningService> {
  const starting = await start(dir, contract, timeoutMs);
  return {
    async check() {
      const started = await starting;
      return started.ok ? checkStarted(dir, started, contract) : { ran: false, operations: [], events: [], error: started.error };
    },
    async discard() {
      const started = await starting;
      if (!started.ok) return;
      await started.service.stop(0);
      await started.broker.stop();
    },
  };
}
