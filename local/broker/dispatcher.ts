import type { Invoker } from '../core/invoker';
import type { RegisteredFunction } from '../core/types';
import type { HostLogger } from '../logger';
import type { MessageRow } from './codec';
import { invocationInput } from './delivery';
import type { MessageStore } from './messageStore';
import type { BrokerOptions } from './options';

/** A `serviceBusTrigger` function and the queue or subscription it receives from. */
export interface Listener {
  fn: RegisteredFunction;
  entity: string;
  /** `cardinality: 'many'`: the handler receives an array. */
  many: boolean;
}

interface Group {
  entity: string;
  listeners: Listener[];
  turn: number;
}

const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * Hands visible messages to their functions, at most `maxConcurrentCalls` at a time, round robin
 * over entities (and over the functions sharing one). It sleeps between events: a send or a
 * finished handler wakes it, one timer covers the next scheduled or backed-off message, and a
 * slow poll catches anything else.
 */
export class Dispatcher {
  private readonly groups: Group[] = [];
  private readonly running = new Set<Promise<void>>();
  private cursor = 0;
  private wakeQueued = false;
  private timer: NodeJS.Timeout | undefined;
  private timerAt = Infinity;
  private poll: NodeJS.Timeout | undefined;
  private started = false;
  private stopped = false;
  private closed = false;

  constructor(
    private readonly store: MessageStore,
    private readonly invoker: Invoker,
    private readonly logger: HostLogger,
    private readonly options: BrokerOptions,
    listeners: Listener[],
  ) {
    for (const listener of listeners) {
      const group = this.groups.find((g) => g.entity.toLowerCase() === listener.entity.toLowerCase());
      if (group) group.listeners.push(listener);
      else this.groups.push({ entity: listener.entity, listeners: [listener], turn: 0 });
    }
  }

  /** Begins delivering (the broker calls it once the app's appStart hooks ran). */
  start(): void {
    if (this.started || this.stopped) return;
    this.started = true;
    this.poll = setInterval(() => this.pump(), this.options.safetyPollMs);
    this.poll.unref();
    this.wake();
  }

  /** Asks for a dispatch round soon (coalesced). */
  wake(): void {
    if (this.wakeQueued || !this.started || this.stopped) return;
    this.wakeQueued = true;
    setImmediate(() => {
      this.wakeQueued = false;
      this.pump();
    });
  }

  /** Stops dispatching and waits (up to `graceMs`) for running handlers; later outcomes are dropped. */
  async stop(graceMs = 5000): Promise<void> {
    this.stopped = true;
    clearInterval(this.poll);
    clearTimeout(this.timer);
    let timeout: NodeJS.Timeout | undefined;
    await Promise.race([Promise.allSettled([...this.running]), new Promise((resolve) => (timeout = setTimeout(resolve, graceMs)))]);
    clearTimeout(timeout);
    this.closed = true;
    if (this.running.size) {
      this.logger.warn('service bus handlers still running at stop; their messages are delivered again at the next start', { running: this.running.size });
    }
  }

  private pump(): void {
    if (this.stopped) return;
    try {
      const now = Date.now();
      this.store.promoteDueTopicMessages(now);
      while (this.running.size < this.options.maxConcurrentCalls) {
        const claim = this.claim(now);
        if (!claim) break;
        this.run(claim.listener, claim.rows);
      }
      this.arm(this.store.nextVisibleAt(now));
    } catch (error) {
      this.logger.error('service bus dispatch failed', { error: String(error) });
    }
  }

  private claim(now: number): { listener: Listener; rows: MessageRow[] } | undefined {
    const n = this.groups.length;
    for (let i = 0; i < n; i++) {
      const group = this.groups[(this.cursor + i) % n];
      const listener = group.listeners[group.turn % group.listeners.length];
      const rows = this.store.lock(group.entity, listener.many ? this.options.maxBatchSize : 1, now);
      if (!rows.length) continue;
      group.turn++;
      this.cursor = (this.cursor + i + 1) % n;
      return { listener, rows };
    }
    return undefined;
  }

  private run(listener: Listener, rows: MessageRow[]): void {
    const task = this.deliver(listener, rows).finally(() => {
      this.running.delete(task);
      this.wake();
    });
    this.running.add(task);
  }

  private async deliver(listener: Listener, rows: MessageRow[]): Promise<void> {
    let failure: unknown;
    let failed = false;
    try {
      await this.invoker.invoke(listener.fn, invocationInput(rows, listener.many));
    } catch (error) {
      failure = error;
      failed = true;
    }
    if (this.closed) return;
    try {
      if (!failed) return this.store.complete(rows);
      const description = failure instanceof Error ? failure.message : String(failure);
      const deadLettered = this.store.abandon(rows, description, Date.now());
      if (deadLettered) {
        this.logger.warn('service bus message dead-lettered', {
          function: listener.fn.metadata.name,
          entity: listener.entity,
          messageIds: rows.map((r) => r.message_id),
          reason: 'MaxDeliveryCountExceeded',
        });
      }
    } catch (error) {
      this.logger.error('service bus settlement failed', { entity: listener.entity, error: String(error) });
    }
  }

  private arm(at: number | undefined): void {
    if (at === undefined || this.stopped) return;
    if (this.timer && this.timerAt <= at) return;
    clearTimeout(this.timer);
    this.timerAt = at;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.timerAt = Infinity;
      this.pump();
    }, Math.min(Math.max(at - Date.now(), 0), MAX_TIMER_MS));
    this.timer.unref();
  }
}
