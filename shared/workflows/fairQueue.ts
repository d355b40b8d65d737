/** What a waiting job is ordered by: its workflow's start (ISO time), then its workflow id, then arrival. */
export interface FairKey {
  workflowStartedAt: string;
  workflowId: string;
}

interface Waiting {
  key: FairKey;
  arrival: number;
  grant: () => void;
}

const before = (a: Waiting, b: Waiting) =>
  a.key.workflowStartedAt !== b.key.workflowStartedAt
    ? a.key.workflowStartedAt < b.key.workflowStartedAt
    : a.key.workflowId !== b.key.workflowId
      ? a.key.workflowId < b.key.workflowId
      : a.arrival < b.arrival;

/**
 * A bounded, fair run queue: at most `limit` jobs run at once; a freed slot goes to the waiting job
 * of the workflow that STARTED first (FIFO by workflow start, not by arrival), so a workflow started
 * earlier gets its validations done before later ones, and every workflow finishes in about the
 * order it started instead of all together at the end (issue 15 §5).
 */
export class FairQueue {
  private running = 0;
  private arrivals = 0;
  private readonly waiting: Waiting[] = [];

  /** `limit`: jobs running at once, a positive integer. */
  constructor(readonly limit: number) {
    if (!Number.isInteger(limit) || limit < 1) throw new RangeError(`the limit must be a positive integer, got ${limit}`);
  }

  /** Jobs running now and waiting now. */
  get stats(): { running: number; waiting: number } {
    return { running: this.running, waiting: this.waiting.length };
  }

  /** Runs `job` once a slot is free and every job ahead of it (by `key`) has been given one. */
  async run<T>(key: FairKey, job: () => Promise<T>): Promise<T> {
    await this.acquire(key);
    try {
      return await job();
    } finally {
      this.release();
    }
  }

  private acquire(key: FairKey): Promise<void> {
    if (this.running < this.limit && this.waiting.length === 0) {
      this.running++;
      return Promise.resolve();
    }
    return new Promise((grant) => {
      const entry = { key, arrival: this.arrivals++, grant };
      const at = this.waiting.findIndex((other) => before(entry, other));
      this.waiting.splice(at === -1 ? this.waiting.length : at, 0, entry);
    });
  }

  private release(): void {
    this.running--;
    const next = this.waiting.shift();
    if (!next) return;
    this.running++;
    next.grant();
  }
}
