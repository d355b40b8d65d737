import type { LocalBroker } from '../../../local/broker/contract';
import { EVENTS_TOPIC, QueueName } from '../catalog';
import type { HealthCheck, Messaging, OutgoingMessage } from '../ports';
import { toMessageList, toWireMessage } from './wireMessage';

/** Where the local host publishes its broker (the same key as `LOCAL_BROKER_KEY` in local/broker). */
const BROKER_KEY = Symbol.for('factory-host.broker');

/** Thrown when the embedded adapter is used outside the local host. */
export class LocalBrokerUnavailable extends Error {
  constructor() {
    super(
      'The local Service Bus broker is not available: EmbeddedMessaging works only inside the local host (factory-host). ' +
        'In Azure set SERVICEBUS_NAMESPACE so that the Service Bus adapter is used.',
    );
  }
}

/**
 * Messaging through the local host's embedded broker, found lazily at
 * `globalThis[Symbol.for('factory-host.broker')]` so the adapter can be built before the host
 * has started its broker. Queue sends, topic publishes and scheduled messages keep their
 * application properties (`traceparent`, `tenantId`, `projectId`, `workflowId`, …).
 */
export class EmbeddedMessaging implements Messaging {
  async send(queue: QueueName, messages: OutgoingMessage | OutgoingMessage[]): Promise<void> {
    await this.deliver(queue, messages);
  }

  async publish(messages: OutgoingMessage | OutgoingMessage[]): Promise<void> {
    await this.deliver(EVENTS_TOPIC, messages);
  }

  async schedule(queue: QueueName, message: OutgoingMessage, enqueueAt: Date): Promise<string> {
    const [sequenceNumber] = await broker().schedule(queue, toWireMessage(message), enqueueAt);
    return String(sequenceNumber);
  }

  async check(): Promise<HealthCheck> {
    const found = lookup() !== undefined;
    return { name: 'messaging', adapter: 'embedded', ok: found, ...(found ? {} : { detail: new LocalBrokerUnavailable().message }) };
  }

  /** Nothing to release: the broker belongs to the host. */
  async close(): Promise<void> {}

  private async deliver(entity: string, messages: OutgoingMessage | OutgoingMessage[]): Promise<void> {
    const list = toMessageList(messages);
    if (list.length) await broker().send(entity, list.map(toWireMessage));
  }
}

function lookup(): LocalBroker | undefined {
  return (globalThis as Record<symbol, unknown>)[BROKER_KEY] as LocalBroker | undefined;
}

function broker(): LocalBroker {
  const found = lookup();
  if (!found) throw new LocalBrokerUnavailable();
  return found;
}
