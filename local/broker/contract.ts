/**
 * The in-process API of the local Service Bus broker. The app's messaging adapter finds it at
 * `globalThis[Symbol.for('factory-host.broker')]` when it runs on the local host, and sends
 * through it instead of `@azure/service-bus`.
 */

/** The key under which the running broker is published on `globalThis`. */
export const LOCAL_BROKER_KEY = Symbol.for('factory-host.broker');

/** Application property values, as Service Bus allows them. */
export type ApplicationPropertyValue = string | number | boolean | Date | null;

/** A message to send, shaped like `ServiceBusMessage` of `@azure/service-bus`. */
export interface BrokerMessage {
  /** A string is delivered as is; a Buffer as bytes; anything else as JSON. */
  body: unknown;
  messageId?: string;
  contentType?: string;
  correlationId?: string;
  subject?: string;
  to?: string;
  replyTo?: string;
  sessionId?: string;
  applicationProperties?: Record<string, ApplicationPropertyValue>;
  /** Milliseconds the message lives once enqueued; after that it is dead-lettered. */
  timeToLive?: number;
}

/**
 * Sends to queues and topics of the local broker. `entity` is a queue or topic name (case
 * insensitive); a name no function declared as a topic is a queue, created on first use.
 */
export interface LocalBroker {
  /** Enqueues now; sending to a topic copies the message into each of its subscriptions. */
  send(entity: string, messages: BrokerMessage | BrokerMessage[]): Promise<void>;
  /** Enqueues at `enqueueAt`; returns one sequence number per message, for `cancelScheduled`. */
  schedule(entity: string, messages: BrokerMessage | BrokerMessage[], enqueueAt: Date): Promise<number[]>;
  /** Cancels scheduled messages that are not enqueued yet; others are left alone. */
  cancelScheduled(entity: string, sequenceNumbers: number | number[]): Promise<void>;
  /**
   * Where processes outside the host reach this broker over its REST protocol
   * (`local/broker/restProtocol.ts`, under `/admin/servicebus/`): the host's origin and the master key
   * it needs, sent as `x-functions-key`; `namespaceKey(ns)` gives the key that opens one namespace
   * only (`./namespaces.ts`) — what a deployed generated service gets as `BROKER_KEY`.
   */
  readonly restEndpoint?: { url: string; key: string; namespaceKey(namespace: string): string };
}
