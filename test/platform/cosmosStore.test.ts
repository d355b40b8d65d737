import createCosmosServer from '@vercel/cosmosdb-server';
import { randomUUID } from 'node:crypto';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { commitWithEvents, CosmosDocumentStore, OutboxDispatcher, type OutboxEvent } from '../../shared/platform/store';
import { describeDocumentStoreContract } from './store.contract';

/** The in-process emulator serves HTTPS with its own self-signed certificate, on loopback only. */
const server = createCosmosServer();
const agent = new https.Agent({ rejectUnauthorized: false });
let endpoint = '';

beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  endpoint = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  agent.destroy();
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

async function openStore(): Promise<CosmosDocumentStore> {
  const store = new CosmosDocumentStore({
    endpoint,
    database: `factory-${randomUUID()}`,
    key: Buffer.from('cosmosdb-server accepts any key').toString('base64'),
    agent,
    clientOptions: { connectionPolicy: { enableEndpointDiscovery: false } },
  });
  await store.ensure();
  return store;
}

describeDocumentStoreContract('Cosmos DB (@vercel/cosmosdb-server)', openStore, {
  atomicBatch: 'the emulator applies batch operations one by one and keeps those before a failure',
  sameIdAcrossProjects: 'the emulator identifies a document by id and the first key path only (tenantId)',
});

describe('CosmosDocumentStore outbox', () => {
  it('finds unsent outbox documents across partitions and containers, and the dispatcher marks them sent', async () => {
    const store = await openStore();
    const event = (id: string): OutboxEvent => ({ id, type: 'ProjectCreated.v1', source: '/tenants/t1', time: '2024-01-01T00:00:00Z' });
    await commitWithEvents(store, 'projects', { tenantId: 't1' }, [{ op: 'create', document: { id: 'p1', tenantId: 't1', type: 'project' } }], event('e1'));
    await commitWithEvents(store, 'workflows', { tenantId: 't2', projectId: 'p9' }, [], event('e2'));
    const published: string[] = [];
    const dispatcher = new OutboxDispatcher({ store, publish: async (events) => void published.push(...events.map((e) => e.id)) });
    expect(await dispatcher.drain()).toBe(2);
    expect(published.sort()).toEqual(['e1', 'e2']);
    expect(await store.pendingOutbox(10)).toEqual([]);
    await store.close();
  });
});
