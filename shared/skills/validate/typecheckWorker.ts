import { parentPort } from 'node:worker_threads';
import { prepareTypecheck } from './typecheck';

/** A job of `TypecheckPool`: the module folder and its TypeScript files, relative to it. */
export interface TypecheckJob {
  id: number;
  dir: string;
  files: string[];
}

/**
 * The worker side of `TypecheckPool`: for each job it emits, answers `{ id, emitted }`, then checks
 * and answers `{ id, diagnostics }` (or `{ id, error }`). Its declaration-file cache lives and dies
 * with the worker.
 */
parentPort?.on('message', (job: TypecheckJob) => {
  try {
    const check = prepareTypecheck(job.dir, job.files);
    parentPort!.postMessage({ id: job.id, emitted: check.emit() });
    parentPort!.postMessage({ id: job.id, diagnostics: check.diagnostics() });
  } catch (error) {
    parentPort!.postMessage({ id: job.id, error: (error as Error).stack ?? String(error) });
  }
});
