import Database from 'better-sqlite3';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { buildGeneratedService, exampleBlueprint, startGeneratedService, tempRoot, type RunningService } from '../test/skills/generatedServiceSupport';
import { spawnHost } from './children';

// Generated services running: event delivery from one service to another through the local
// host's broker, and the memory of one idle service.

const MASTER_KEY = 'bench-generated-services-master-key-0123';

function handledCount(file: string): number {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    return (db.prepare('SELECT COUNT(*) AS n FROM handled_events').get() as { n: number }).n;
  } finally {
    db.close();
  }
}

/** Resident set size of a process from /proc (Linux), in MB. */
function rssMb(pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8').split('\n').find((entry) => entry.startsWith('VmRSS:'));
  return Number(line?.split(/\s+/)[1] ?? 0) / 1024;
}

export interface DeliveryRun {
  /** POST /lending/v1/loans answered → the worker recorded BookLent as handled, per loan, in ms. */
  latencies: number[];
  /** RSS of LendingService two seconds after it is ready, before any request, in MB. */
  idleRssMb: number;
}

/**
 * Generates, compiles and starts the library blueprint's LendingService and NotificationWorker on
 * SQLite and a factory host's broker, then creates `loans` loans one after the other and times each
 * until the worker has handled its BookLent (polled every 5 ms in the worker's own store).
 */
export async function deliveryLatencies(loans: number): Promise<DeliveryRun> {
  const host = await spawnHost('host with broker', { quiet: true, env: { FACTORY_HOST_MASTER_KEY: MASTER_KEY } });
  const root = tempRoot('bench-generated-');
  const blueprint = exampleBlueprint('library.yaml');
  const services: RunningService[] = [];
  try {
    const env = (name: string) => ({ BROKER_URL: host.origin, BROKER_KEY: MASTER_KEY, SQLITE_PATH: path.join(root, `${name}.db`), LOG_LEVEL: 'warn', RECEIVE_WAIT_MS: '5000' });
    const lending = await startGeneratedService(buildGeneratedService(blueprint, 'LendingService', root), { ...env('lending'), LOG_LEVEL: 'info' });
    services.push(lending);
    await new Promise((resolve) => setTimeout(resolve, 2000));
    const idleRssMb = rssMb(lending.child.pid!);
    services.push(await startGeneratedService(buildGeneratedService(blueprint, 'NotificationWorker', root), { ...env('worker'), LOG_LEVEL: 'info' }));
    const worker = path.join(root, 'worker.db');
    const latencies: number[] = [];
    for (let i = 0; i < loans; i++) {
      const before = handledCount(worker);
      const response = await fetch(`${lending.url}/lending/v1/loans`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ bookId: '00000000-0000-4000-8000-000000000001', memberId: '00000000-0000-4000-8000-000000000002', dueAt: '2030-01-31T09:30:00Z' }),
      });
      const answered = performance.now();
      if (response.status !== 201) throw new Error(`POST /lending/v1/loans answered ${response.status}`);
      while (handledCount(worker) === before) {
        if (performance.now() - answered > 30_000) throw new Error('BookLent did not reach the worker within 30 s');
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
      latencies.push(performance.now() - answered);
    }
    return { latencies, idleRssMb };
  } finally {
    for (const service of services) await service.stop();
    await host.stop();
  }
}
