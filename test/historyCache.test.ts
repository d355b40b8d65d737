import { HistoryCache } from '../local/durable/historyCache';
import { EventType, historyEvent, type HistoryEvent } from '../local/durable/history';
import type { DurableStore, InstanceRow } from '../local/durable/store';

/** The orchestrator input text must be exactly what serializing the whole input gives, step after step. */
describe('history cache: orchestrator input text', () => {
  const instance = { instanceId: 'i-1', executionId: 'e-1' } as InstanceRow;
  const stored: HistoryEvent[] = [historyEvent(EventType.OrchestratorStarted, {}, new Date(0)), historyEvent(EventType.ExecutionStarted, { Name: 'Seq', Input: '{"steps":3}' }, new Date(0))];
  const store = { history: () => stored.map((e) => ({ ...e })) } as unknown as DurableStore;
  const rest = (history: HistoryEvent[]) => ({ history, input: { steps: 3 }, instanceId: instance.instanceId, isReplaying: history.length > 0, parentInstanceId: '', upperSchemaVersion: 4 });

  it('equals JSON.stringify of the whole input while the history grows, and after a miss or a new execution', () => {
    const cache = new HistoryCache();
    for (let step = 0; step < 5; step++) {
      const history = cache.get(store, instance);
      const newEvents = [historyEvent(EventType.OrchestratorStarted, {}, new Date(step)), historyEvent(EventType.TaskCompleted, { TaskScheduledId: step, Result: `"r${step}"` }, new Date(step))];
      const input = rest(history.concat(newEvents));
      expect(JSON.parse(cache.triggerJson(instance.instanceId, history, newEvents, input))).toEqual(JSON.parse(JSON.stringify(input)));
      expect(cache.triggerJson(instance.instanceId, history, newEvents, input)).toBe(JSON.stringify({ ...input, history: input.history }));
      // As the backend does after the invocation: new events are marked played, then join the history.
      for (const e of newEvents) e.IsPlayed = true;
      cache.set(instance.instanceId, instance.executionId, history.concat(newEvents, [historyEvent(EventType.TaskScheduled, { Name: 'Noop' }, new Date(step))]));
    }
    const grown = cache.get(store, instance);
    expect(grown).toHaveLength(2 + 5 * 3);
    expect(cache.triggerJson(instance.instanceId, grown, [], rest(grown))).toBe(JSON.stringify(rest(grown)));

    cache.drop(instance.instanceId);
    const reloaded = cache.get(store, instance);
    expect(cache.triggerJson(instance.instanceId, reloaded, [], rest(reloaded))).toBe(JSON.stringify(rest(reloaded)));
    cache.set(instance.instanceId, 'e-2', []);
    const next = cache.get(store, { ...instance, executionId: 'e-2' });
    expect(cache.triggerJson(instance.instanceId, next, stored, rest(stored))).toBe(JSON.stringify(rest(stored)));
  });

  it('holds no more than its byte budget: the least recently used histories go, the one in use stays', () => {
    const events = (n: number) => Array.from({ length: n }, (_, i) => historyEvent(EventType.TaskCompleted, { TaskScheduledId: i, Result: String(i) }, new Date(0)));
    // Room for about three 100-event histories (300 bytes per event as estimated).
    const cache = new HistoryCache(1000, 100_000);
    for (let i = 0; i < 10; i++) cache.set(`i-${i}`, 'e', events(100));
    expect(cache.usage.bytes).toBeLessThanOrEqual(100_000);
    expect(cache.usage.entries).toBe(3);
    const reads: string[] = [];
    const counting = { history: (id: string) => (reads.push(id), events(100)) } as unknown as DurableStore;
    cache.get(counting, { instanceId: 'i-9', executionId: 'e' } as InstanceRow);
    cache.get(counting, { instanceId: 'i-0', executionId: 'e' } as InstanceRow);
    expect(reads).toEqual(['i-0']); // i-9 was kept, i-0 had been evicted and is read again
    const big = events(1000);
    cache.set('huge', 'e', big); // larger than the whole budget: kept while it is the one in use
    expect(cache.get(counting, { instanceId: 'huge', executionId: 'e' } as InstanceRow)).toBe(big);
    expect(cache.usage.entries).toBe(1);
    cache.drop('huge');
    expect(cache.usage).toEqual({ entries: 0, bytes: 0 });
  });
});
