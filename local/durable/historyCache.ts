import type { HistoryEvent } from './history';
import type { DurableStore, InstanceRow } from './store';

interface Entry {
  executionId: string;
  events: HistoryEvent[];
  /** JSON of `events[0 .. jsonCount)`, comma-separated without brackets: extended, never rebuilt. */
  json: string;
  jsonCount: number;
  /** Estimated bytes held: see `sizeOf`. */
  bytes: number;
}

/**
 * Rough heap bytes of a cached history: its JSON text plus the parsed events, which take about three
 * times their text (V8 objects with string fields); an event's text is ~100 bytes in the histories
 * of the bench (`{"EventType":5,"EventId":-1,"IsPlayed":true,"Timestamp":"…","TaskScheduledId":3,"Result":"3"}`).
 */
const EVENT_BYTES = 300;
const sizeOf = (e: { events: HistoryEvent[]; json: string }) => e.events.length * EVENT_BYTES + e.json.length;

/** Default bounds: 2,000 instances and 64 MB (estimated) of histories, whichever is reached first. */
export const HISTORY_CACHE_LIMITS = { entries: 2000, bytes: 64 * 1024 * 1024 };

/**
 * Keeps recent histories in memory so a step does not re-read and re-parse them, together with their
 * JSON text, so a step serializes only the events that are new since the last one (the orchestrator
 * input carries the whole history; rebuilding its text every step made a sequence of n steps cost n²).
 * Events are not changed once they are in a cached history.
 */
export class HistoryCache {
  private readonly map = new Map<string, Entry>();
  private bytes = 0;
  constructor(
    private readonly capacity = HISTORY_CACHE_LIMITS.entries,
    private readonly maxBytes = HISTORY_CACHE_LIMITS.bytes,
  ) {}

  /** Entries and estimated bytes held (tests, diagnostics). */
  get usage(): { entries: number; bytes: number } {
    return { entries: this.map.size, bytes: this.bytes };
  }

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
    this.drop(instanceId);
    // The new history extends the old one (the same event objects, more of them): keep its text.
    const extends_ = old && old.executionId === executionId && events.length >= old.jsonCount && (old.jsonCount === 0 || events[old.jsonCount - 1] === old.events[old.jsonCount - 1]);
    const entry: Entry = { executionId, events, json: extends_ ? old.json : '', jsonCount: extends_ ? old.jsonCount : 0, bytes: 0 };
    entry.bytes = sizeOf(entry);
    this.map.set(instanceId, entry);
    this.bytes += entry.bytes;
    this.evict(instanceId);
  }

  drop(instanceId: string): void {
    const entry = this.map.get(instanceId);
    if (!entry) return;
    this.map.delete(instanceId);
    this.bytes -= entry.bytes;
  }

  /** Drops the least recently used entries (never `keep`, the one just used) while over a bound. */
  private evict(keep: string): void {
    for (const id of this.map.keys()) {
      if (this.map.size <= this.capacity && this.bytes <= this.maxBytes) return;
      if (id !== keep) this.drop(id);
    }
  }

  /** Re-estimates an entry whose text grew. */
  private resize(entry: Entry): void {
    const bytes = sizeOf(entry);
    this.bytes += bytes - entry.bytes;
    entry.bytes = bytes;
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
      this.resize(entry);
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
