import type { ServiceBusMessage, ServiceBusMessageBatch } from '@azure/service-bus';

/**
 * The part of `@azure/service-bus` the Service Bus adapter uses. `ServiceBusClient` satisfies
 * {@link ServiceBusClientLike}; tests pass a recording fake of the same shape. A batch is the
 * SDK's own `ServiceBusMessageBatch` (count, sizes, `tryAddMessage`).
 */
export type MessageBatchLike = ServiceBusMessageBatch;

/** The part of `ServiceBusSender` the adapter uses. */
export interface ServiceBusSenderLike {
  createMessageBatch(): Promise<MessageBatchLike>;
  sendMessages(batch: MessageBatchLike): Promise<void>;
  /** Resolves to one sequence number (a `Long`) per message. */
  scheduleMessages(messages: ServiceBusMessage[], scheduledEnqueueTimeUtc: Date): Promise<{ toString(): string }[]>;
  close(): Promise<void>;
}

/** The part of `ServiceBusClient` the adapter uses. */
export interface ServiceBusClientLike {
  createSender(queueOrTopicName: string): ServiceBusSenderLike;
  close(): Promise<void>;
}
