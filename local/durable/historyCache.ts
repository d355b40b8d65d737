import type { HistoryEvent } from './history';
import type { DurableStore, InstanceRow } from './store';

/** Keeps recent histories in memory so a step does not re-read and re-parse them. */
export class HistoryCache {
  private readonly map = new Map<string, { executionId: string; events: HistoryEvent[] }>();
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
    this.map.delete(instanceId);
    this.map.set(instanceId, { executionId, events });
    if (this.map.size > this.capacity) this.map.delete(this.map.keys().next().value!);
  }

  drop(instanceId: string): void {
    this.map.delete(instanceId);
  }
}
