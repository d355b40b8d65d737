import fs from 'node:fs';

/**
 * What an acknowledged write survives, chosen per host (`FACTORY_HOST_DURABILITY`, `--durability`):
 * - `process`: a crash of the process (`kill -9`): SQLite WAL with synchronous=NORMAL, commits reach the
 *   OS at once but disk only at checkpoints, so a power loss can take the last ones.
 * - `fsync`: a power loss too: nothing is acknowledged before the WAL holding it is on disk.
 */
export type Durability = 'process' | 'fsync';

export const DURABILITIES: readonly Durability[] = ['process', 'fsync'];

/** Waits until every commit made so far on the host database is durable in the host's mode. */
export interface CommitBarrier {
  readonly mode: Durability;
  /** Resolves once the commits made before the call are durable; rejects for good after an fsync failure. */
  durable(): Promise<void>;
  close(): void;
}

const settled = Promise.resolve();

/** `process` mode: a commit is as durable as it gets once SQLite returns. */
export const processBarrier: CommitBarrier = { mode: 'process', durable: () => settled, close: () => undefined };

/**
 * Group commit for `fsync` mode, in the manner of PostgreSQL's WAL flush: SQLite commits as usual
 * (WAL, synchronous=NORMAL: frames are written, not synced), and one `fsync` of the WAL file makes
 * every commit written before it durable — the guarantee of synchronous=FULL. Callers that are about
 * to acknowledge something ask `durable()`; all who ask while an fsync is in flight, or within the
 * same turn of the event loop, share the next one. The fsync runs on the libuv thread pool, so the
 * event loop keeps committing meanwhile. SQLite syncs the WAL itself before each checkpoint, and a
 * WAL is only reset after it was checkpointed, so the file (and its inode) holds every commit not yet
 * in the database file.
 */
export class WalGroupCommit implements CommitBarrier {
  readonly mode = 'fsync';
  private fd: number | undefined;
  private inFlight = false;
  private scheduled = false;
  private waiting: { resolve: () => void; reject: (error: Error) => void }[] = [];
  private failure: Error | undefined;
  /** fsyncs performed (bench and tests: how many commits shared one). */
  syncs = 0;

  constructor(
    private readonly walFile: string,
    private readonly directory: string,
  ) {}

  durable(): Promise<void> {
    if (this.failure) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => {
      this.waiting.push({ resolve, reject });
      this.schedule();
    });
  }

  close(): void {
    if (this.fd !== undefined) fs.closeSync(this.fd);
    this.fd = undefined;
  }

  /**
   * The WAL file, opened on first need: SQLite creates it with the first write (before that every commit
   * is in the database file, synced by the checkpoint that emptied the WAL). Its directory entry is
   * made durable once.
   */
  private wal(): number | undefined {
    if (this.fd !== undefined) return this.fd;
    if (!fs.existsSync(this.walFile)) return undefined;
    this.fd = fs.openSync(this.walFile, 'r');
    const dir = fs.openSync(this.directory, 'r');
    try {
      fs.fsyncSync(dir);
    } finally {
      fs.closeSync(dir);
    }
    return this.fd;
  }

  private schedule(): void {
    if (this.inFlight || this.scheduled) return;
    this.scheduled = true;
    // The rest of this turn's commits join the batch.
    setImmediate(() => {
      this.scheduled = false;
      this.flush();
    });
  }

  private flush(): void {
    if (this.inFlight || this.waiting.length === 0) return;
    const batch = this.waiting;
    this.waiting = [];
    let fd: number | undefined;
    try {
      fd = this.wal();
    } catch (error) {
      this.fail(batch, error as Error);
      return;
    }
    if (fd === undefined) {
      for (const w of batch) w.resolve();
      return;
    }
    this.inFlight = true;
    fs.fsync(fd, (error) => {
      this.inFlight = false;
      this.syncs++;
      if (error) return this.fail(batch, error);
      for (const w of batch) w.resolve();
      if (this.waiting.length > 0) this.flush();
    });
  }

  private fail(batch: { reject: (error: Error) => void }[], error: Error): void {
    // As PostgreSQL does after a failed fsync, never claim durability again: the kernel may have
    // dropped the dirty pages, so a retry could succeed without the data.
    this.failure = new Error(`fsync of the host database WAL failed: ${error.message}`);
    for (const w of [...batch, ...this.waiting.splice(0)]) w.reject(this.failure);
  }
}
