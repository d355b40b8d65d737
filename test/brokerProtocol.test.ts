import { eventually, fixtureApp, spawnHost, type HostProcess } from './support/hostProcess';

const MASTER_KEY = 'broker-protocol-master-key-0123456789';

jest.setTimeout(120_000);

describe('the local broker REST protocol (/admin/servicebus)', () => {
  let host: HostProcess;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- responses are asserted field by field
  const call = async (method: string, route: string, body?: unknown): Promise<{ status: number; body: any }> => {
    const response = await fetch(`${host.origin}/admin/servicebus/${route}`, { method, headers: { 'x-functions-key': MASTER_KEY, 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : undefined };
  };
  const receive = (timeout = 0) => call('POST', `orders-v1/subscriptions/billing/messages/head?timeout=${timeout}&max=5`);

  beforeAll(async () => {
    host = await spawnHost(fixtureApp('app'), { env: { FACTORY_HOST_MASTER_KEY: MASTER_KEY, FACTORY_HOST_SYSTEM_KEY: 'broker-protocol-system-key-0123456789', FACTORY_HOST_SB_RETRY_BASE_MS: '10', FACTORY_HOST_SB_RETRY_MAX_MS: '20' } });
    expect((await call('PUT', 'topics/orders-v1')).status).toBe(201);
    expect(await call('PUT', 'topics/orders-v1/subscriptions/billing', { maxDeliveryCount: 2 })).toEqual({ status: 201, body: { entity: 'orders-v1/subscriptions/billing', maxDeliveryCount: 2 } });
  });

  afterAll(async () => host?.stop());

  it('answers 204 when nothing arrives within the timeout, and 404 for a subscription nobody declared', async () => {
    expect((await receive()).status).toBe(204);
    expect((await call('POST', 'orders-v1/subscriptions/nobody/messages/head')).status).toBe(404);
  });

  it('peek-locks a published message and completes it; a second settle of the same lock answers 410', async () => {
    expect((await call('POST', 'orders-v1/messages', { messageId: 'm-1', body: { n: 1 } })).status).toBe(201);
    const received = await receive(5);
    expect(received.status).toBe(200);
    const [message] = received.body.messages;
    expect(message).toMatchObject({ messageId: 'm-1', body: { n: 1 }, deliveryCount: 1, state: 'locked' });
    const lock = `orders-v1/subscriptions/billing/messages/${message.sequenceNumber}/${message.lockToken}`;
    expect((await call('DELETE', lock)).status).toBe(204);
    expect((await call('DELETE', lock)).status).toBe(410);
    expect((await receive()).status).toBe(204);
  });

  it('delivers an abandoned message again and dead-letters it after the max delivery count', async () => {
    await call('POST', 'orders-v1/messages', { messageId: 'm-2', body: { n: 2 } });
    for (const delivery of [1, 2]) {
      const [message] = (await eventually(async () => {
        const received = await receive(1);
        return received.status === 200 ? received : undefined;
      }, 30_000, `delivery ${delivery}`)).body.messages;
      expect(message).toMatchObject({ messageId: 'm-2', deliveryCount: delivery });
      expect((await call('PUT', `orders-v1/subscriptions/billing/messages/${message.sequenceNumber}/${message.lockToken}`, { reason: 'handler failed' })).status).toBe(204);
    }
    const dead = await call('GET', 'orders-v1/subscriptions/billing/deadletters');
    expect(dead.body.messages).toEqual([expect.objectContaining({ messageId: 'm-2', deadLetterReason: 'MaxDeliveryCountExceeded', deadLetterErrorDescription: 'handler failed' })]);
  });

  it('lets the receiver dead-letter a message itself, with its reason', async () => {
    await call('POST', 'orders-v1/messages', { messageId: 'm-3', body: 'not json at all' });
    const [message] = (await receive(5)).body.messages;
    expect((await call('POST', `orders-v1/subscriptions/billing/messages/${message.sequenceNumber}/${message.lockToken}/deadletter`, { reason: 'SchemaValidationFailed', description: '/ must be object' })).status).toBe(204);
    const dead = await call('GET', 'orders-v1/subscriptions/billing/deadletters');
    expect(dead.body.messages).toEqual(expect.arrayContaining([expect.objectContaining({ messageId: 'm-3', deadLetterReason: 'SchemaValidationFailed', deadLetterErrorDescription: '/ must be object' })]));
  });
});
