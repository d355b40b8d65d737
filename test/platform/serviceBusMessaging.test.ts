import type { ServiceBusMessage, ServiceBusMessageBatch } from '@azure/service-bus';
import { MessageTooLarge, ServiceBusMessaging } from '../../shared/platform/messaging';
import type { ServiceBusClientLike, ServiceBusSenderLike } from '../../shared/platform/messaging';

// A recording fake of the SDK boundary only: ServiceBusClient, ServiceBusSender and
// ServiceBusMessageBatch. A batch holds `capacity` messages; a message whose body is the string
// 'huge' fits in none.

class FakeBatch implements ServiceBusMessageBatch {
  readonly messages: ServiceBusMessage[] = [];
  constructor(private readonly capacity: number) {}
  get count() {
    return this.messages.length;
  }
  get sizeInBytes() {
    return this.messages.length * 100;
  }
  get maxSizeInBytes() {
    return this.capacity * 100;
  }
  tryAddMessage(message: ServiceBusMessage): boolean {
    if (message.body === 'huge' || this.messages.length >= this.capacity) return false;
    this.messages.push(message);
    return true;
  }
}

class FakeSender implements ServiceBusSenderLike {
  readonly sent: ServiceBusMessage[][] = [];
  readonly scheduled: { messages: ServiceBusMessage[]; at: Date }[] = [];
  closed = false;
  private nextSequence = 41;
  constructor(
    readonly entity: string,
    private readonly capacity: number,
  ) {}
  async createMessageBatch() {
    return new FakeBatch(this.capacity);
  }
  async sendMessages(batch: ServiceBusMessageBatch) {
    this.sent.push([...(batch as FakeBatch).messages]);
  }
  async scheduleMessages(messages: ServiceBusMessage[], at: Date) {
    this.scheduled.push({ messages, at });
    return messages.map(() => ({ toString: () => String(++this.nextSequence) }));
  }
  async close() {
    this.closed = true;
  }
}

class FakeClient implements ServiceBusClientLike {
  readonly senders: FakeSender[] = [];
  closed = false;
  constructor(private readonly capacity = 100) {}
  createSender(entity: string) {
    const sender = new FakeSender(entity, this.capacity);
    this.senders.push(sender);
    return sender;
  }
  async close() {
    this.closed = true;
  }
  sender(entity: string): FakeSender {
    const found = this.senders.find((s) => s.entity === entity);
    if (!found) throw new Error(`no sender for ${entity}`);
    return found;
  }
}

const properties = { traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01', tenantId: 't1', projectId: 'p1', workflowId: 'w1' };

describe('ServiceBusMessaging (at the SDK boundary)', () => {
  it('sends to the named queue with body, ids, subject and application properties', async () => {
    const client = new FakeClient();
    const messaging = new ServiceBusMessaging(client);
    await messaging.send('agent-tasks', {
      body: { taskId: 'task-1' },
      messageId: 'm-1',
      correlationId: 'c-1',
      subject: 'AgentTask',
      applicationProperties: properties,
    });
    expect(client.senders.map((s) => s.entity)).toEqual(['agent-tasks']);
    expect(client.sender('agent-tasks').sent).toEqual([
      [
        {
          body: { taskId: 'task-1' },
          messageId: 'm-1',
          correlationId: 'c-1',
          subject: 'AgentTask',
          contentType: 'application/json',
          applicationProperties: properties,
        },
      ],
    ]);
  });

  it('publishes to the factory-events topic, giving each message an id', async () => {
    const client = new FakeClient();
    const messaging = new ServiceBusMessaging(client);
    await messaging.publish([{ body: 'one', contentType: 'text/plain' }, { body: 'two' }]);
    const [batch] = client.sender('factory-events').sent;
    expect(batch.map((m) => m.body)).toEqual(['one', 'two']);
    expect(batch[0].contentType).toBe('text/plain');
    expect(batch[1].contentType).toBeUndefined();
    expect(new Set(batch.map((m) => m.messageId)).size).toBe(2);
    expect(batch.every((m) => typeof m.messageId === 'string' && m.messageId.length > 0)).toBe(true);
  });

  it('splits many messages into full batches, in order', async () => {
    const client = new FakeClient(2);
    const messaging = new ServiceBusMessaging(client);
    await messaging.send('agent-results', [1, 2, 3, 4, 5].map((n) => ({ body: n, messageId: `m-${n}` })));
    expect(client.sender('agent-results').sent.map((batch) => batch.map((m) => m.body))).toEqual([[1, 2], [3, 4], [5]]);
  });

  it('refuses a message too large for an empty batch, naming it', async () => {
    const client = new FakeClient();
    const messaging = new ServiceBusMessaging(client);
    await expect(messaging.send('agent-tasks', [{ body: 'huge', messageId: 'big-1' }])).rejects.toThrow(MessageTooLarge);
    await expect(messaging.send('agent-tasks', [{ body: 'small' }, { body: 'huge', messageId: 'big-2' }])).rejects.toThrow(/big-2/);
  });

  it('sends nothing for an empty list', async () => {
    const client = new FakeClient();
    await new ServiceBusMessaging(client).publish([]);
    expect(client.senders).toEqual([]);
  });

  it('reuses one sender per entity', async () => {
    const client = new FakeClient();
    const messaging = new ServiceBusMessaging(client);
    await messaging.send('agent-tasks', { body: 1 });
    await messaging.send('agent-tasks', { body: 2 });
    await messaging.publish({ body: 3 });
    await messaging.schedule('agent-tasks', { body: 4 }, new Date('2030-01-01T00:00:00Z'));
    await messaging.publish({ body: 5 });
    expect(client.senders.map((s) => s.entity)).toEqual(['agent-tasks', 'factory-events']);
    expect(client.sender('agent-tasks').sent).toHaveLength(2);
    expect(client.sender('factory-events').sent).toHaveLength(2);
  });

  it('schedules with the enqueue time and returns the sequence number as a string', async () => {
    const client = new FakeClient();
    const messaging = new ServiceBusMessaging(client);
    const at = new Date('2030-01-01T00:00:00Z');
    const sequenceNumber = await messaging.schedule('agent-tasks', { body: { retry: 1 }, messageId: 's-1', applicationProperties: properties }, at);
    expect(sequenceNumber).toBe('42');
    const [call] = client.sender('agent-tasks').scheduled;
    expect(call.at).toBe(at);
    expect(call.messages).toEqual([{ body: { retry: 1 }, messageId: 's-1', contentType: 'application/json', applicationProperties: properties }]);
    expect(client.sender('agent-tasks').sent).toEqual([]);
  });

  it('reports healthy without sending anything', async () => {
    const client = new FakeClient();
    const health = await new ServiceBusMessaging(client, 'sb-factory.servicebus.windows.net').check();
    expect(health).toEqual({ name: 'messaging', adapter: 'service-bus', ok: true, detail: 'sb-factory.servicebus.windows.net' });
    expect(client.senders.every((s) => s.sent.length === 0)).toBe(true);
  });

  it('closes every sender and then the client, once', async () => {
    const client = new FakeClient();
    const messaging = new ServiceBusMessaging(client);
    await messaging.send('agent-tasks', { body: 1 });
    await messaging.publish({ body: 2 });
    await messaging.close();
    await messaging.close();
    expect(client.senders.map((s) => s.closed)).toEqual([true, true]);
    expect(client.closed).toBe(true);
    await expect(messaging.send('agent-tasks', { body: 3 })).rejects.toThrow(/closed/);
    expect((await messaging.check()).ok).toBe(false);
  });

  it('builds a real client from config without connecting', async () => {
    const messaging = ServiceBusMessaging.fromConfig({ SERVICEBUS_NAMESPACE: 'sb-factory.servicebus.windows.net', AZURE_CLIENT_ID: '00000000-0000-0000-0000-000000000001' });
    expect((await messaging.check()).ok).toBe(true);
    await messaging.close();
  });
});
