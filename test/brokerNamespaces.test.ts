import { namespaceKey } from '../local/broker/namespaces';
import { fixtureApp, spawnHost, type HostProcess } from './support/hostProcess';

// Broker namespaces: each deployed environment gets a key that opens its own topics and
// subscriptions only (as each environment has its own Service Bus namespace and SAS key in Azure).
// Found by a trial: with one shared key, one tenant's services received another tenant's events.

const MASTER_KEY = 'broker-namespaces-master-key-0123456789';
const NS_A = 'contoso~library~dev';
const NS_B = 'fabrikam~library~dev';

jest.setTimeout(120_000);

describe('broker namespaces', () => {
  let host: HostProcess;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- responses are asserted field by field
  const call = async (key: string, method: string, route: string, body?: unknown): Promise<{ status: number; body: any }> => {
    const response = await fetch(`${host.origin}/admin/servicebus/${route}`, { method, headers: { 'x-functions-key': key, 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : undefined };
  };
  const keyA = namespaceKey(MASTER_KEY, NS_A);
  const keyB = namespaceKey(MASTER_KEY, NS_B);
  const declare = async (key: string) => {
    expect(await call(key, 'PUT', 'topics/book-lent-v1')).toEqual({ status: 201, body: { entity: 'book-lent-v1' } });
    expect(await call(key, 'PUT', 'topics/book-lent-v1/subscriptions/notification-worker', {})).toMatchObject({ status: 201, body: { entity: 'book-lent-v1/subscriptions/notification-worker' } });
  };
  const receive = (key: string, timeout = 0) => call(key, 'POST', `book-lent-v1/subscriptions/notification-worker/messages/head?timeout=${timeout}&max=5`);

  beforeAll(async () => {
    host = await spawnHost(fixtureApp('app'), { env: { FACTORY_HOST_MASTER_KEY: MASTER_KEY, FACTORY_HOST_SYSTEM_KEY: 'broker-namespaces-system-key-0123456789' } });
    await declare(keyA);
    await declare(keyB);
  });

  afterAll(async () => host?.stop());

  it('delivers a message only inside the namespace it was sent to, under the same entity names', async () => {
    expect((await call(keyA, 'POST', 'book-lent-v1/messages', { messageId: 'a-1', body: { tenant: 'contoso' } })).status).toBe(201);
    const received = await receive(keyA, 5);
    expect(received.status).toBe(200);
    expect(received.body.messages.map((m: { messageId: string }) => m.messageId)).toEqual(['a-1']);
    const [message] = received.body.messages;
    expect((await call(keyB, 'DELETE', `book-lent-v1/subscriptions/notification-worker/messages/${message.sequenceNumber}/${message.lockToken}`)).status).toBe(410);
    expect((await call(keyA, 'DELETE', `book-lent-v1/subscriptions/notification-worker/messages/${message.sequenceNumber}/${message.lockToken}`)).status).toBe(204);
    expect((await receive(keyB, 1)).status).toBe(204);
  });

  it('lists only the caller\'s own entities, by its own names; the master key sees them all', async () => {
    const own = await call(keyB, 'GET', 'entities');
    expect(own.status).toBe(200);
    expect(own.body.entities.map((e: { name: string }) => e.name).sort()).toEqual(['book-lent-v1', 'book-lent-v1/subscriptions/notification-worker']);
    const all = await call(MASTER_KEY, 'GET', 'entities');
    const names = all.body.entities.map((e: { name: string }) => e.name);
    expect(names).toEqual(expect.arrayContaining([`${NS_A}~book-lent-v1`, `${NS_B}~book-lent-v1/subscriptions/notification-worker`]));
  });

  it('opens nothing else of the host with a namespace key, and refuses forged keys', async () => {
    expect((await call(keyA, 'GET', `${encodeURIComponent(`${NS_B}~book-lent-v1/subscriptions/notification-worker`)}/messages`)).status).toBe(401);
    expect((await call(keyA, 'GET', 'book-lent-v1/subscriptions/notification-worker/deadletters')).status).toBe(401);
    expect((await fetch(`${host.origin}/admin/host/status`, { headers: { 'x-functions-key': keyA } })).status).toBe(401);
    expect((await fetch(`${host.origin}/runtime/webhooks/durabletask/instances`, { headers: { 'x-functions-key': keyA } })).status).toBe(401);
    const forged = `sbns:${NS_B}:${keyA.split(':').pop()}`;
    expect((await call(forged, 'GET', 'entities')).status).toBe(401);
    expect((await call(namespaceKey('another-hosts-master-key-0123456789', NS_A), 'GET', 'entities')).status).toBe(401);
  });

  it('keeps a namespace inside its prefix even when the caller names another namespace\'s entity', async () => {
    const sneaky = await call(keyA, 'POST', `${encodeURIComponent(`${NS_B}~book-lent-v1`)}/messages`, { messageId: 'sneak', body: {} });
    expect(sneaky.status).toBe(201);
    expect((await receive(keyB, 1)).status).toBe(204);
  });
});
