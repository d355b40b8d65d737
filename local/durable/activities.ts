import type { FunctionRegistry } from '../core/coreApi';
import { fromTypedData, Invoker } from '../core/invoker';
import type { HostLogger } from '../logger';
import { EventType, historyEvent } from './history';
import type { DurableStore, WorkRow } from './store';

/**
 * Runs activity work items, up to a concurrency limit. Each outcome is committed together with
 * the removal of its work item, so an activity interrupted by a crash runs again (at least once).
 */
export class ActivityRunner {
  private readonly queue: WorkRow[] = [];
  private readonly inFlight = new Set<number>();
  private idle: (() => void)[] = [];
  private stopped = false;

  constructor(
    private readonly deps: { store: DurableStore; registry: FunctionRegistry; invoker: Invoker; logger: HostLogger },
    private readonly maxConcurrent: number,
    private readonly onCompleted: (instanceId: string) => void,
  ) {}

  push(rows: WorkRow[]): void {
    for (const row of rows) if (!this.inFlight.has(row.id)) this.queue.push(row);
    this.pump();
  }

  get busy(): number {
    return this.inFlight.size;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.queue.length = 0;
    if (this.inFlight.size) await new Promise<void>((resolve) => this.idle.push(resolve));
  }

  private pump(): void {
    while (!this.stopped && this.inFlight.size < this.maxConcurrent && this.queue.length) {
      const row = this.queue.shift()!;
      if (this.inFlight.has(row.id)) continue;
      this.inFlight.add(row.id);
      this.run(row).finally(() => {
        this.inFlight.delete(row.id);
        if (this.inFlight.size === 0) this.idle.splice(0).forEach((r) => r());
        this.pump();
      });
    }
  }

  private async run(row: WorkRow): Promise<void> {
    const fn = this.deps.registry.get(row.name);
    let event;
    if (!fn || fn.trigger.type.toLowerCase() !== 'activitytrigger') {
      event = historyEvent(EventType.TaskFailed, {
        TaskScheduledId: row.seq,
        Reason: `The activity function '${row.name}' does not exist.`,
        Details: '',
      });
    } else {
      try {
        const outcome = await this.deps.invoker.invoke(fn, {
          triggerData: row.input === null ? { json: 'null' } : { string: row.input },
          triggerMetadata: { InstanceId: { string: row.instanceId } },
          traceParent: row.traceParent ?? undefined,
        });
        event = historyEvent(EventType.TaskCompleted, { TaskScheduledId: row.seq, Result: activityResultJson(fromTypedData(outcome.response?.returnValue)) });
      } catch (error) {
        const err = error instanceof Error ? error : new Error(String(error));
        event = historyEvent(EventType.TaskFailed, {
          TaskScheduledId: row.seq,
          Reason: `Activity function '${row.name}' failed: ${err.message}`,
          Details: err.stack ?? '',
        });
      }
    }
    if (this.stopped) return; // the work item stays; it runs again at the next start
    const recorded = await this.deps.store.completeWorkSoon(row.id, {
      instanceId: row.instanceId,
      executionId: row.executionId,
      visibleAt: Date.now(),
      message: { kind: 'event', event },
    });
    if (recorded) this.onCompleted(row.instanceId);
  }
}

/**
 * An activity's result as the extension stores it: JSON of the returned value. Bytes (a Buffer or
 * Uint8Array, which the worker sends as RPC `bytes`) arrive in the extension as a .NET byte[],
 * which its JSON serializer (Newtonsoft) writes as a base64 string; the orchestrator receives that
 * string, never Node's `{type:"Buffer",data:[…]}`.
 */
export function activityResultJson(value: unknown): string {
  if (value === undefined) return 'null';
  if (value instanceof Uint8Array) return JSON.stringify(Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('base64'));
  return JSON.stringify(value);
}
