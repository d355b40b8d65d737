import type { HistoryEvent } from './history';
import type { DurableStore, InstanceRow } from './store';

interface Entry {
  executionId: string;
  events: HistoryEvent[];
  /** JSON of `events[0 .. jsonCount)`, comma-separated without brackets: extended, never rebuilt. */
  json: string;
  jsonCount: number;
}

/**
 * Keeps recent histories in memory so a step does not re-read and re-parse them, together with their
 * JSON text, so a step serializes only the events that are new since the last one (the orchestrator
 * input carries the whole history; rebuilding its text every step made a sequence of n steps cost n²).
 * Events are not changed once they are in a cached history.
 */
export class HistoryCache {
  private readonly map = new Map<string, Entry>();
  constructor(private readonly capacity = 2000) {}

  get(store: DurableStore, instance: InstanceRow): HistoryEvent[] {
    const hit = this.map.get(instance.instanceId);
    if (hit && hit.executionId === instance.executionId) {
      this.map.delete(instance.instanceId);
      this.map.set(instance.instanceId, hit);
      return hit.events;
    }
    const events = store.history(instance.instanceId);
    this.set(instance.instanceId, instance.executionId, events);
    return events;
  }

  set(instanceId: string, executionId: string, events: HistoryEvent[]): void {
    const old = this.map.get(instanceId);
    this.map.delete(instanceId);
    // The new history extends the old one (the same event objects, more of them): keep its text.
    const extends_ = old && old.executionId === executionId && events.length >= old.jsonCount && (old.jsonCount === 0 || events[old.jsonCount - 1] === old.events[old.jsonCount - 1]);
    this.map.set(instanceId, { executionId, events, json: extends_ ? old.json : '', jsonCount: extends_ ? old.jsonCount : 0 });
    if (this.map.size > this.capacity) this.map.delete(this.map.keys().next().value!);
  }

  drop(instanceId: string): void {
    this.map.delete(instanceId);
  }

  /**
   * `JSON.stringify(input)` for an orchestrator trigger input whose `history` is `history` (the array
   * `get` returned) followed by `newEvents`: the cached text of `history`, extended by the events it
   * lacks, and the new events, which may still change after this step, serialized afresh.
   */
  triggerJson(instanceId: string, history: HistoryEvent[], newEvents: HistoryEvent[], input: { history: HistoryEvent[] }): string {
    const { history: _whole, ...rest } = input;
    const entry = this.map.get(instanceId);
    let prefix: string;
    if (entry && entry.events === history) {
      for (let i = entry.jsonCount; i < history.length; i++) entry.json += (i === 0 ? '' : ',') + JSON.stringify(history[i]);
      entry.jsonCount = history.length;
      prefix = entry.json;
    } else {
      prefix = history.map((e) => JSON.stringify(e)).join(',');
    }
    const fresh = newEvents.map((e) => JSON.stringify(e)).join(',');
    const events = prefix && fresh ? `${prefix},${fresh}` : prefix || fresh;
    const others = JSON.stringify(rest);
    return `{"history":[${events}]${others === '{}' ? '' : `,${others.slice(1, -1)}`}}`;
  }
}
