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
});
