import type { FactoryConfig } from './config';
import type { DocumentStore } from './ports';
import type { OutboxEvent } from './store/outboxDocument';

/**
 * An in-process consumer of the event stream, run by the outbox dispatcher before the events go to
 * the `factory-events` topic: a batch is marked sent only after every subscriber took it, so each
 * subscriber sees every event at least once (and de-duplicates by event id). The audit trail is one;
 * the platform knows none of them by name.
 */
export interface EventSubscriber {
  /** For logs. */
  readonly name: string;
  consume(events: readonly OutboxEvent[]): Promise<void>;
}

/** What a subscriber factory is built from: the platform's parts, once per process. */
export interface EventSubscriberDeps {
  store: DocumentStore;
  dataDir: string;
  config: FactoryConfig;
}

export type EventSubscriberFactory = (deps: EventSubscriberDeps) => EventSubscriber | Promise<EventSubscriber>;

const factories: EventSubscriberFactory[] = [];

/**
 * Registers a subscriber with the composition root (a function file does this at load, as it
 * registers its triggers). Factories registered before the platform is built are part of it; a later
 * one is attached by `attachLateSubscribers`.
 */
export function registerEventSubscriber(factory: EventSubscriberFactory): void {
  factories.push(factory);
  for (const listener of listeners) listener(factory);
}

const listeners: ((factory: EventSubscriberFactory) => void)[] = [];

/** The factories registered so far, and a callback for each one registered later. */
export function eventSubscriberFactories(onLater: (factory: EventSubscriberFactory) => void): readonly EventSubscriberFactory[] {
  listeners.push(onLater);
  return [...factories];
}
