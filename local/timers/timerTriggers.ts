import type { RegisteredFunction } from '../core/types';
import type { HostContext, HostSubsystem } from '../subsystem';
import { NEVER as NO_OCCURRENCE, parseSchedule, TimerSchedule } from './ncrontab';
import { migrateTimerTables, ScheduleStatus, TimerStatusStore } from './statusStore';
import { resolveTimeZone } from './timeZone';
import type { Db } from '../db';

/** setTimeout takes at most 2^31-1 ms; longer waits are re-armed when they wake. */
const MAX_DELAY_MS = 2 ** 31 - 1;
/** Azure monitors schedules by default only when they recur at most once a minute. */
const MONITOR_MIN_INTERVAL_MS = 60_000;
/** What .NET's default(DateTime) serialises to: "never ran". */
const NEVER = new Date('0001-01-01T00:00:00.000Z');

interface TimerState {
  fn: RegisteredFunction;
  name: string;
  schedule: TimerSchedule;
  /** Schedule monitor on: missed occurrences run once at start, flagged past due. */
  monitor: boolean;
  runOnStartup: boolean;
  status: ScheduleStatus;
  /** The occurrence the timeout is armed for. */
  due: Date;
  handle?: NodeJS.Timeout;
  running?: Promise<void>;
}

interface RunOptions {
  /** The occurrence this run stands for; recorded as `Last` once the run ends. */
  occurrence?: Date;
  isPastDue: boolean;
}

/**
 * `timerTrigger` functions: NCRONTAB or TimeSpan schedules (see ncrontab.ts), one timeout per
 * function, one invocation of a function at a time (an occurrence that finds the previous run
 * still going is skipped), `runOnStartup`, and the schedule monitor: status is kept in
 * `timer_status`, and an occurrence missed while the host was down runs once at start with
 * `IsPastDue: true`.
 */
export class TimerTriggers implements HostSubsystem {
  readonly bindingTypes = ['timertrigger'];
  private context: HostContext | undefined;
  private store: TimerStatusStore | undefined;
  private timers: TimerState[] = [];
  private startup: NodeJS.Immediate | undefined;
  private stopped = false;

  migrate(db: Db): void {
    migrateTimerTables(db);
  }

  start(context: HostContext): void {
    this.context = context;
    const tz = resolveTimeZone(process.env);
    if (tz.warning) context.logger.warn(tz.warning);
    // Parse every schedule before arming any: a bad one stops the host from starting.
    const parsed = context.registry.byTrigger('timerTrigger').map((fn) => ({
      fn,
      schedule: parseSchedule(String(fn.trigger.schedule ?? ''), { functionName: fn.metadata.name, timeZone: tz.zone }),
    }));
    this.store = new TimerStatusStore(context.db);
    const now = new Date();
    const pending: Array<() => void> = [];
    for (const { fn, schedule } of parsed) {
      const timer = this.initialState(fn, schedule, now);
      this.timers.push(timer);
      const pastDue = timer.monitor && timer.status.next.getTime() < now.getTime();
      this.arm(timer, pastDue ? schedule.next(now) : timer.status.next);
      context.logger.info('timer scheduled', {
        function: timer.name,
        schedule: schedule.expression,
        timeZone: schedule.kind === 'cron' ? (tz.zone ?? 'UTC') : undefined,
        next: timer.due.getTime() >= NO_OCCURRENCE.getTime() ? 'never' : timer.due.toISOString(),
        monitor: timer.monitor,
        pastDue: pastDue || undefined,
      });
      if (pastDue) pending.push(() => this.run(timer, { occurrence: timer.status.next, isPastDue: true }));
      else if (timer.runOnStartup) pending.push(() => this.run(timer, { isPastDue: false }));
    }
    // Deferred so that the rest of the host finishes starting first.
    if (pending.length > 0) this.startup = setImmediate(() => pending.forEach((run) => run()));
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.startup) clearImmediate(this.startup);
    for (const timer of this.timers) clearTimeout(timer.handle);
    await Promise.allSettled(this.timers.map((t) => t.running));
  }

  /**
   * Reads (or starts) the function's schedule status. When the schedule changed since it was
   * stored, Next is recomputed from Last (or LastUpdated), as Azure's schedule monitor does.
   */
  private initialState(fn: RegisteredFunction, schedule: TimerSchedule, now: Date): TimerState {
    const binding = fn.trigger;
    const useMonitor = binding.useMonitor === undefined ? undefined : String(binding.useMonitor).toLowerCase() !== 'false';
    const monitor = useMonitor ?? shortestInterval(schedule, now) >= MONITOR_MIN_INTERVAL_MS;
    const name = fn.metadata.name;
    const stored = this.store!.get(name);
    let status: ScheduleStatus;
    if (!stored || !monitor) {
      status = { last: stored?.last, next: schedule.next(now), lastUpdated: now };
      this.store!.save(name, schedule, status);
    } else if (stored.schedule !== schedule.expression || stored.timeZone !== schedule.timeZone) {
      status = { last: stored.last, next: schedule.next(stored.last ?? stored.lastUpdated), lastUpdated: now };
      this.store!.save(name, schedule, status);
    } else {
      status = { last: stored.last, next: stored.next, lastUpdated: stored.lastUpdated };
    }
    return { fn, name, schedule, monitor, runOnStartup: isTrue(binding.runOnStartup), status, due: status.next };
  }

  private arm(timer: TimerState, due: Date): void {
    if (this.stopped) return;
    timer.due = due;
    clearTimeout(timer.handle);
    if (due.getTime() >= NO_OCCURRENCE.getTime()) return; // a schedule with no occurrence: accepted, never fires
    const delay = Math.min(Math.max(0, due.getTime() - Date.now()), MAX_DELAY_MS);
    timer.handle = setTimeout(() => this.onTimeout(timer), delay);
    timer.handle.unref(); // the HTTP server keeps the host alive, not its timers
  }

  private onTimeout(timer: TimerState): void {
    if (this.stopped) return;
    const now = new Date();
    const due = timer.due;
    if (now.getTime() < due.getTime()) {
      this.arm(timer, due); // a clamped long wait, or the clock moved back
      return;
    }
    let following = timer.schedule.next(due);
    if (following.getTime() <= now.getTime()) following = timer.schedule.next(now); // woke late: no catch-up burst
    this.arm(timer, following);
    if (timer.running) {
      this.context!.logger.info('timer occurrence skipped: the previous invocation is still running', { function: timer.name, occurrence: due.toISOString() });
      return;
    }
    this.run(timer, { occurrence: due, isPastDue: false });
  }

  /** Invokes the function once; the invoker logs failures. Status is saved when the run ends. */
  private run(timer: TimerState, options: RunOptions): void {
    if (this.stopped || timer.running) return;
    const now = new Date();
    const status: ScheduleStatus = options.occurrence ? { last: options.occurrence, next: timer.due, lastUpdated: now } : { ...timer.status, next: timer.due };
    const json = JSON.stringify({
      Schedule: { AdjustForDST: true },
      ScheduleStatus: { Last: (status.last ?? NEVER).toISOString(), Next: status.next.toISOString(), LastUpdated: status.lastUpdated.toISOString() },
      IsPastDue: options.isPastDue,
    });
    const context = this.context!;
    timer.running = (async () => {
      try {
        await context.invoker.invoke(timer.fn, { triggerData: { json } });
      } catch {
        // Already logged by the invoker; the schedule goes on.
      }
      if (!options.occurrence) return; // runOnStartup does not move the schedule
      timer.status = { last: options.occurrence, next: timer.due, lastUpdated: new Date() };
      try {
        this.store!.save(timer.name, timer.schedule, timer.status);
      } catch (error) {
        context.logger.error('could not save timer status', { function: timer.name, error: (error as Error).message });
      }
    })().finally(() => {
      timer.running = undefined;
    });
  }
}

function isTrue(value: unknown): boolean {
  return value === true || String(value).toLowerCase() === 'true';
}

/** The shortest gap between the next few occurrences. */
function shortestInterval(schedule: TimerSchedule, from: Date): number {
  let shortest = Infinity;
  let previous = schedule.next(from);
  for (let i = 0; i < 4; i++) {
    const next = schedule.next(previous);
    shortest = Math.min(shortest, next.getTime() - previous.getTime());
    previous = next;
  }
  return shortest;
}
