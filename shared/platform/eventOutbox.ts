import type { Principal } from './auth/principal';
import { createEvent, EventContext } from './events/createEvent';
import type { EventData, EventType } from './events/catalog';
import type { BatchOperation, DocumentStore, Messaging, OutgoingMessage, PartitionKey } from './ports';
import type { ContainerName } from './catalog';
import { commitWithEvents, OutboxDispatcher } from './store/outbox';
import type { OutboxEvent, OutboxSource } from './store/outboxDocument';
import type { Telemetry } from './telemetry/telemetry';
import type { EventSubscriber } from './eventSubscribers';
import { randomBytes } from 'node:crypto';

/** Who caused a change and under which trace: stamped on its events and hence on its audit entries. */
export interface ChangeContext {
  principal: Pick<Principal, 'id'> | null;
  traceId: string;
}

/** A catalog event with the actor attribute the audit trail records. */
export function changeEvent<T extends EventType>(type: T, data: EventData<T>, change: ChangeContext, context: Omit<EventContext, 'traceId'>): OutboxEvent {
  const event = createEvent(type, data as never, { ...context, traceId: change.traceId });
  return { ...event, ...(change.principal ? { actorid: change.principal.id } : {}) } as OutboxEvent;
}

function toMessage(event: OutboxEvent): OutgoingMessage {
  const properties: Record<string, string> = { type: event.type };
  if (typeof event.traceid === 'string') properties.traceparent = `00-${event.traceid}-${randomBytes(8).toString('hex')}-01`;
  for (const [attribute, property] of [['tenantid', 'tenantId'], ['projectid', 'projectId'], ['workflowid', 'workflowId']] as const) {
    if (typeof event[attribute] === 'string') properties[property] = event[attribute] as string;
  }
  return { body: event, messageId: event.id, subject: event.type, contentType: 'application/cloudevents+json', applicationProperties: properties };
}

/**
 * State changes and their events, consistently: the change and its events commit in one partition
 * batch (the outbox); a dispatcher then hands each batch to the in-process subscribers (the audit
 * trail is one) and publishes it to the event topic, at least once (subscribers de-duplicate by
 * event id). Each commit kicks the dispatcher; a timer drains whatever a crash left behind.
 */
export class EventOutbox {
  private readonly dispatcher: OutboxDispatcher;
  private running: Promise<void> | undefined;
  private again = false;
  private readonly subscribers: EventSubscriber[];

  constructor(
    private readonly store: DocumentStore & OutboxSource,
    subscribers: EventSubscriber | readonly EventSubscriber[],
    private readonly messaging: Messaging,
    private readonly telemetry: Telemetry,
  ) {
    this.subscribers = Array.isArray(subscribers) ? [...subscribers] : [subscribers as EventSubscriber];
    this.dispatcher = new OutboxDispatcher({
      store,
      publish: async (events) => {
        for (const subscriber of this.subscribers) await subscriber.consume(events);
        await this.messaging.publish(events.map(toMessage));
      },
    });
  }

  /** Adds a subscriber (one registered after the platform was built); it sees events dispatched from now on. */
  subscribe(subscriber: EventSubscriber): void {
    this.subscribers.push(subscriber);
  }

  /** Commits the operations and their events atomically, then starts dispatching. */
  async commit(container: ContainerName, key: PartitionKey, operations: BatchOperation[], events: OutboxEvent[]): Promise<void> {
    await commitWithEvents(this.store, container, key, operations, events);
    this.kick();
  }

  /** Dispatches pending events in the background; concurrent kicks coalesce. */
  kick(): void {
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.drain()
      .then(() => undefined)
      .catch((error) => this.telemetry.log('warn', 'outbox dispatch failed; the timer retries', { error: String(error) }))
      .finally(() => {
        this.running = undefined;
        if (this.again) {
          this.again = false;
          this.kick();
        }
      });
  }

  /** Publishes until the outbox is empty. */
  async drain(): Promise<number> {
    return this.dispatcher.drain();
  }

  /** Resolves when the current dispatch (if any) is done. */
  async settled(): Promise<void> {
    while (this.running) await this.running;
  }
}
