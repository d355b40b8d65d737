import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { StoreConflict } from '../../shared/platform/ports';
import {
  commitWithEvents,
  OutboxDispatcher,
  ProcessedEvents,
  SqliteDocumentStore,
  withOutbox,
  type OutboxEvent,
} from '../../shared/platform/store';

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'store-outbox-'));
let store: SqliteDocumentStore;
let file = 0;

beforeEach(() => {
  store = SqliteDocumentStore.open(dataDir, `outbox-${++file}.sqlite`);
});
afterEach(() => store.close());
afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

function event(id: string, tenantId = 't1', projectId = 'p1'): OutboxEvent {
  return { id, type: 'BlueprintValidated.v1', source: `/tenants/${tenantId}/projects/${projectId}`, time: '2024-01-01T00:00:00.000Z', tenantid: tenantId, data: { n: id } };
}

function collector() {
  const published: OutboxEvent[] = [];
  return { published, publish: async (events: OutboxEvent[]) => void published.push(...events) };
}

describe('transactional outbox', () => {
  const key = { tenantId: 't1', projectId: 'p1' };

  it('commits a state change with its event, publishes the event once and marks it sent', async () => {
    await commitWithEvents(store, 'blueprints', key, [{ op: 'create', document: { id: 'bp-1', ...key, type: 'blueprint' } }], event('e1'));
    expect(await store.read('blueprints', key, 'bp-1')).toBeDefined();
    const { published, publish } = collector();
    const dispatcher = new OutboxDispatcher({ store, publish, clock: () => new Date('2024-01-02T00:00:00Z') });

    expect(await dispatcher.dispatchOnce()).toBe(1);
    expect(published).toEqual([event('e1')]);
    expect(await dispatcher.dispatchOnce()).toBe(0);
    expect(published).toHaveLength(1);
    const outbox = await store.query('blueprints', key, { where: [{ field: 'type', op: '=', value: 'outbox' }] });
    expect(outbox.items).toEqual([expect.objectContaining({ sentAt: '2024-01-02T00:00:00.000Z', event: event('e1') })]);
  });

  it('writes no event when the state change fails', async () => {
    await store.create('blueprints', { id: 'bp-1', ...key, type: 'blueprint' });
    await expect(
      commitWithEvents(store, 'blueprints', key, [{ op: 'create', document: { id: 'bp-1', ...key, type: 'blueprint' } }], event('e1')),
    ).rejects.toBeInstanceOf(StoreConflict);
    expect(await store.pendingOutbox(10)).toEqual([]);
  });

  it('refuses the same event twice in one partition', async () => {
    await store.batch('usage', key, withOutbox(key, [], event('e1')));
    await expect(store.batch('usage', key, withOutbox(key, [], event('e1')))).rejects.toBeInstanceOf(StoreConflict);
  });

  it('keeps events pending when publishing fails, and publishes them on the next run', async () => {
    await commitWithEvents(store, 'workflows', key, [], [event('e1'), event('e2')]);
    const failing = new OutboxDispatcher({ store, publish: async () => Promise.reject(new Error('topic unavailable')) });
    await expect(failing.dispatchOnce()).rejects.toThrow('topic unavailable');
    const { published, publish } = collector();
    expect(await new OutboxDispatcher({ store, publish }).dispatchOnce()).toBe(2);
    expect(published.map((e) => e.id)).toEqual(['e1', 'e2']);
  });

  it('drains every partition and container in write order, deleting sent documents when asked', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 7; i++) {
      const id = `e${i}`;
      ids.push(id);
      if (i % 2) await commitWithEvents(store, 'projects', { tenantId: `t${i}` }, [], event(id, `t${i}`));
      else await commitWithEvents(store, 'workflows', { tenantId: 't1', projectId: `p${i}` }, [], event(id, 't1', `p${i}`));
    }
    const { published, publish } = collector();
    const dispatcher = new OutboxDispatcher({ store, publish, batchSize: 3, afterPublish: 'delete' });
    expect(await dispatcher.drain()).toBe(7);
    expect(published.map((e) => e.id)).toEqual(ids);
    expect(await store.pendingOutbox(100)).toEqual([]);
    expect((await store.query('projects', { tenantId: 't1' }, {})).items).toEqual([]);
  });
});

describe('ProcessedEvents', () => {
  it('tells a consumer whether it has seen an event, per consumer', async () => {
    const processed = new ProcessedEvents(store);
    expect(await processed.seen('audit-projection', 'e1')).toBe(false);
    expect(await processed.seen('audit-projection', 'e1')).toBe(true);
    expect(await processed.seen('cost-meter', 'e1')).toBe(false);
    expect(await processed.seen('audit-projection', 'e/2?#', { tenantId: 't1' })).toBe(false);
  });

  it('lets exactly one of concurrent deliveries through', async () => {
    const processed = new ProcessedEvents(store);
    const answers = await Promise.all(Array.from({ length: 5 }, () => processed.seen('notifications', 'e1')));
    expect(answers.filter((seen) => !seen)).toHaveLength(1);
  });

  it('sees an event again after forget (handling failed)', async () => {
    const processed = new ProcessedEvents(store);
    await processed.seen('notifications', 'e1');
    await processed.forget('notifications', 'e1');
    expect(await processed.seen('notifications', 'e1')).toBe(false);
  });

  it('applies a redelivered event once when the marker is part of the consumer batch', async () => {
    const processed = new ProcessedEvents(store, { container: 'audit' });
    const tenant = { tenantId: 't1' };
    const handle = (e: OutboxEvent) =>
      store.batch('audit', tenant, [
        processed.toOperation('audit-projection', e.id, tenant),
        { op: 'create', document: { id: `entry-${e.id}`, ...tenant, type: 'auditEntry' } },
      ]);
    await handle(event('e1'));
    await expect(handle(event('e1'))).rejects.toBeInstanceOf(StoreConflict);
    const entries = await store.query('audit', tenant, { where: [{ field: 'type', op: '=', value: 'auditEntry' }] });
    expect(entries.items.map((d) => d.id)).toEqual(['entry-e1']);
  });
});
