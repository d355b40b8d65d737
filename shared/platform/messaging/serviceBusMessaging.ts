import { DefaultAzureCredential } from '@azure/identity';
import { ServiceBusClient } from '@azure/service-bus';
import { EVENTS_TOPIC, QUEUES, QueueName } from '../catalog';
import type { FactoryConfig } from '../config';
import type { HealthCheck, Messaging, OutgoingMessage } from '../ports';
import type { MessageBatchLike, ServiceBusClientLike, ServiceBusSenderLike } from './serviceBusBoundary';
import { toMessageList, toWireMessage, WireMessage } from './wireMessage';

/** Thrown for a message that does not fit even in an empty batch. */
export class MessageTooLarge extends Error {
  constructor(entity: string, messageId: string) {
    super(`Message ${messageId} for ${entity} is larger than the largest batch Service Bus accepts.`);
  }
}

/**
 * Messaging over Azure Service Bus. One sender per entity, created on first use and reused;
 * several messages go in as few batches as fit. Build with {@link ServiceBusMessaging.fromConfig}
 * in Azure (managed identity), or hand in a client.
 */
export class ServiceBusMessaging implements Messaging {
  private readonly senders = new Map<string, ServiceBusSenderLike>();
  private closed = false;

  constructor(
    private readonly client: ServiceBusClientLike,
    private readonly namespace = 'service-bus',
  ) {}

  /** A client for `SERVICEBUS_NAMESPACE` with `DefaultAzureCredential` (user-assigned identity from `AZURE_CLIENT_ID`). */
  static fromConfig(config: Pick<FactoryConfig, 'SERVICEBUS_NAMESPACE' | 'AZURE_CLIENT_ID'>): ServiceBusMessaging {
    if (!config.SERVICEBUS_NAMESPACE) throw new Error('SERVICEBUS_NAMESPACE is required for the Service Bus adapter.');
    const credential = new DefaultAzureCredential(config.AZURE_CLIENT_ID ? { managedIdentityClientId: config.AZURE_CLIENT_ID } : {});
    return new ServiceBusMessaging(new ServiceBusClient(config.SERVICEBUS_NAMESPACE, credential), config.SERVICEBUS_NAMESPACE);
  }

  async send(queue: QueueName, messages: OutgoingMessage | OutgoingMessage[]): Promise<void> {
    await this.sendBatched(queue, toMessageList(messages).map(toWireMessage));
  }

  async publish(messages: OutgoingMessage | OutgoingMessage[]): Promise<void> {
    await this.sendBatched(EVENTS_TOPIC, toMessageList(messages).map(toWireMessage));
  }

  async schedule(queue: QueueName, message: OutgoingMessage, enqueueAt: Date): Promise<string> {
    const [sequenceNumber] = await this.sender(queue).scheduleMessages([toWireMessage(message)], enqueueAt);
    return sequenceNumber.toString();
  }

  /** Creating a sender opens no connection, so this tells only that the client is usable. */
  async check(): Promise<HealthCheck> {
    try {
      this.sender(QUEUES.agentTasks);
      return { name: 'messaging', adapter: 'service-bus', ok: true, detail: this.namespace };
    } catch (error) {
      return { name: 'messaging', adapter: 'service-bus', ok: false, detail: (error as Error).message };
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const senders = [...this.senders.values()];
    this.senders.clear();
    await Promise.all(senders.map((s) => s.close()));
    await this.client.close();
  }

  private sender(entity: string): ServiceBusSenderLike {
    if (this.closed) throw new Error('The Service Bus messaging adapter is closed.');
    let sender = this.senders.get(entity);
    if (!sender) {
      sender = this.client.createSender(entity);
      this.senders.set(entity, sender);
    }
    return sender;
  }

  /** Fills a batch until it refuses a message, sends it, and goes on with a fresh one. */
  private async sendBatched(entity: string, messages: WireMessage[]): Promise<void> {
    if (!messages.length) return;
    const sender = this.sender(entity);
    let batch: MessageBatchLike = await sender.createMessageBatch();
    for (const message of messages) {
      if (batch.tryAddMessage(message)) continue;
      if (batch.count === 0) throw new MessageTooLarge(entity, message.messageId);
      await sender.sendMessages(batch);
      batch = await sender.createMessageBatch();
      if (!batch.tryAddMessage(message)) throw new MessageTooLarge(entity, message.messageId);
    }
    if (batch.count > 0) await sender.sendMessages(batch);
  }
}
