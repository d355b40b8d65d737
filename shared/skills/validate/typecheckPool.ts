import os from 'node:os';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { Diagnostic } from './report';
import type { TypecheckJob } from './typecheckWorker';

/** A type check under way in a worker: `emitted` settles first (the JavaScript is on disk), then `diagnostics`. */
export interface PendingTypecheck {
  emitted: Promise<boolean>;
  diagnostics: Promise<Diagnostic[]>;
}

type Reply = { id: number; emitted?: boolean; diagnostics?: Diagnostic[]; error?: string };

interface Slot {
  worker: Worker;
  /** The job it runs now. */
  job?: Job;
  idleTimer?: NodeJS.Timeout;
}

interface Job {
  job: TypecheckJob;
  onEmitted: (emitted: boolean) => void;
  onDiagnostics: (diagnostics: Diagnostic[]) => void;
  onError: (error: Error) => void;
}

/**
 * Type checks in worker threads (`typecheckWorker.js`), at most `size` at once (default: half the
 * CPUs, at least 1 — a check is one of three phases of a validation, the other two run in child
 * processes, and each worker holds ~250 MB while it lives), so the host's event
 * loop stays free while a generated module is checked (a check of a SPEC module takes seconds of
 * CPU). Each worker caches the parsed declaration files of the factory's node_modules for the checks
 * it runs; a worker idle for `idleMs` (default 20 s) exits, and its memory (the cache is ~150 MB of heap) goes
 * with it, so the host gives memory back after a batch of validations.
 */
export class TypecheckPool {
  private readonly slots: Slot[] = [];
  private readonly queue: Job[] = [];
  private nextId = 1;

  constructor(
    private readonly size = Math.max(1, Math.floor(os.availableParallelism() / 2)),
    private readonly idleMs = 20_000,
  ) {}

  check(dir: string, files: readonly string[]): PendingTypecheck {
    let onEmitted!: Job['onEmitted'];
    let onDiagnostics!: Job['onDiagnostics'];
    let onErrorA!: (error: Error) => void;
    let onErrorB!: (error: Error) => void;
    const emitted = new Promise<boolean>((resolve, reject) => ((onEmitted = resolve), (onErrorA = reject)));
    const diagnostics = new Promise<Diagnostic[]>((resolve, reject) => ((onDiagnostics = resolve), (onErrorB = reject)));
    emitted.catch(() => undefined);
    diagnostics.catch(() => undefined);
    const onError = (error: Error) => (onErrorA(error), onErrorB(error));
    this.queue.push({ job: { id: this.nextId++, dir, files: [...files] }, onEmitted, onDiagnostics, onError });
    this.pump();
    return { emitted, diagnostics };
  }

  private pump(): void {
    while (this.queue.length) {
      const slot = this.slots.find((s) => !s.job) ?? (this.slots.length < this.size ? this.spawn() : undefined);
      if (!slot) return;
      const job = this.queue.shift()!;
      clearTimeout(slot.idleTimer);
      slot.job = job;
      slot.worker.ref();
      slot.worker.postMessage(job.job);
    }
  }

  private spawn(): Slot {
    const worker = new Worker(path.join(__dirname, 'typecheckWorker.js'));
    const slot: Slot = { worker };
    this.slots.push(slot);
    worker.on('message', (reply: Reply) => this.reply(slot, reply));
    worker.on('error', (error) => this.fail(slot, error));
    worker.on('exit', (code) => this.fail(slot, new Error(`the type-check worker exited with ${code}`)));
    return slot;
  }

  private reply(slot: Slot, reply: Reply): void {
    const job = slot.job;
    if (!job || job.job.id !== reply.id) return;
    if (reply.emitted !== undefined) return job.onEmitted(reply.emitted);
    slot.job = undefined;
    if (reply.error !== undefined) job.onError(new Error(reply.error));
    else job.onDiagnostics(reply.diagnostics ?? []);
    this.idle(slot);
  }

  private idle(slot: Slot): void {
    slot.worker.unref();
    slot.idleTimer = setTimeout(() => this.retire(slot), this.idleMs);
    slot.idleTimer.unref();
    this.pump();
  }

  /** Ends an idle worker; it leaves the pool first, so no job can reach it while it exits. */
  private retire(slot: Slot): void {
    const at = this.slots.indexOf(slot);
    if (at === -1 || slot.job) return;
    this.slots.splice(at, 1);
    void slot.worker.terminate();
  }

  /** A worker died (or was ended when idle): its job, if any, fails; the next check starts a new one. */
  private fail(slot: Slot, error: Error): void {
    const at = this.slots.indexOf(slot);
    if (at === -1) return;
    this.slots.splice(at, 1);
    clearTimeout(slot.idleTimer);
    slot.job?.onError(error);
    slot.job = undefined;
    this.pump();
  }
}
