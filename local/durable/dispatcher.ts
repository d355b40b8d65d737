import { CommitBarrier, processBarrier } from '../groupCommit';
import type { HostLogger } from '../logger';
import { ActivityRunner } from './activities';
import { EpisodeDeps, EpisodeResult, runEpisode } from './episode';

/**
 * Decides what runs when: each instance's steps run one at a time, different instances in
 * parallel up to a limit; messages that become visible later (timers, retries) wake their
 * instance through one timer set to the earliest of them. In `fsync` mode a step's consequences
 * (its activities, the instances it wakes) start only once its commit is on disk; the steps of
 * concurrent instances share one fsync (group commit).
 */
export class Dispatcher {
  private readonly ready = new Set<string>();
  private readonly running = new Set<string>();
  private readonly again = new Set<string>();
  private timer: NodeJS.Timeout | undefined;
  private timerAt = Infinity;
  private stopped = false;
  private pumpScheduled = false;
  private readonly idleWaiters: (() => void)[] = [];
  readonly activities: ActivityRunner;

  constructor(
    private readonly deps: EpisodeDeps & { logger: HostLogger },
    private readonly maxConcurrentOrchestrations: number,
    maxConcurrentActivities: number,
    private readonly commits: CommitBarrier = processBarrier,
  ) {
    this.activities = new ActivityRunner(deps, maxConcurrentActivities, (id) => this.wake(id));
  }

  start(): void {
    this.onTimer();
    this.activities.push(this.deps.store.pendingWork());
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.activities.stop();
    if (this.running.size) await new Promise<void>((resolve) => this.idleWaiters.push(resolve));
  }

  wake(instanceId: string): void {
    if (this.stopped) return;
    if (this.running.has(instanceId)) this.again.add(instanceId);
    else this.ready.add(instanceId);
    if (!this.pumpScheduled) {
      this.pumpScheduled = true;
      setImmediate(() => {
        this.pumpScheduled = false;
        this.pump();
      });
    }
  }

  /** Arms the wake-up timer for a message that becomes visible at `at` (epoch ms). */
  wakeAt(at: number): void {
    if (this.stopped || at >= this.timerAt) return;
    if (this.timer) clearTimeout(this.timer);
    this.timerAt = at;
    this.timer = setTimeout(() => this.onTimer(), Math.max(0, Math.min(at - Date.now(), 2 ** 31 - 1)));
  }

  private onTimer(): void {
    this.timer = undefined;
    this.timerAt = Infinity;
    if (this.stopped) return;
    const now = Date.now();
    for (const id of this.deps.store.readyInstances(now)) this.wake(id);
    const next = this.deps.store.nextVisibleAfter(now);
    if (next !== undefined) this.wakeAt(next);
  }

  private whenDurable(result: EpisodeResult): EpisodeResult | Promise<EpisodeResult> {
    if (this.commits.mode === 'process') return result;
    return this.commits.durable().then(() => result);
  }

  private pump(): void {
    for (const id of this.ready) {
      if (this.stopped || this.running.size >= this.maxConcurrentOrchestrations) return;
      this.ready.delete(id);
      this.running.add(id);
      let failed = false;
      runEpisode(this.deps, id)
        .then((result) => this.whenDurable(result))
        .then((result) => {
          for (const w of result.wake) this.wake(w);
          if (result.work.length) this.activities.push(result.work);
          if (result.nextVisibleAt !== undefined) this.wakeAt(result.nextVisibleAt);
        })
        .catch((error) => {
          failed = true;
          this.deps.logger.error('orchestration step failed; it is retried in a second', { instanceId: id, error: String(error?.stack ?? error) });
        })
        .finally(() => {
          this.running.delete(id);
          if (this.stopped) {
            if (this.running.size === 0) this.idleWaiters.splice(0).forEach((r) => r());
            return;
          }
          if (failed) this.wakeAt(Date.now() + 1000);
          else if (this.again.delete(id) || this.deps.store.hasVisibleInbox(id, Date.now())) this.wake(id);
          else this.pump();
        });
    }
  }
}
