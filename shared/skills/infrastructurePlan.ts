import type { Blueprint, BlueprintEdition, BlueprintModule, ModuleScaling } from '../blueprints/schemas';
import { collectionSegment, eventSlug, externalEventsOf, kebabCase, sortedUnique } from './naming';

/** The port every generated service listens on (HTTP API and the `/health/live`, `/health/ready` probes). */
export const SERVICE_PORT = 8080;

/** Compute per replica by edition (valid Container Apps pairs); Kubernetes requests use the same. */
export const EDITION_SIZING: Record<BlueprintEdition, { cpu: string; memory: string; millicores: number; memoryMi: number }> = {
  free: { cpu: '0.25', memory: '0.5Gi', millicores: 250, memoryMi: 512 },
  pro: { cpu: '0.5', memory: '1Gi', millicores: 500, memoryMi: 1024 },
  enterprise: { cpu: '1.0', memory: '2Gi', millicores: 1000, memoryMi: 2048 },
};

export function sizingOf(blueprint: Blueprint) {
  return EDITION_SIZING[blueprint.spec.edition ?? 'pro'];
}

/** A module's scaling, or one fixed replica when the blueprint says nothing. */
export function scalingOf(module: BlueprintModule): ModuleScaling {
  return module.scaling ?? { minReplicas: 1, maxReplicas: 1, triggers: [] };
}

/** A Service Bus topic subscription a module reads a consumed event from. */
export interface EventSubscription {
  event: string;
  topic: string;
  subscription: string;
  external: boolean;
}

/**
 * The messaging of a module on Azure Service Bus: a topic per event (`appointment-booked-v1`), a
 * subscription named after the consumer (`notification-service`) per consumed event, and a work
 * queue (`{module}-work`) only for a module with a queue trigger that consumes no events.
 * Empty when the module's `infrastructure.queue` is not `azure-service-bus`.
 */
export interface MessagingPlan {
  serviceBus: boolean;
  emittedTopics: { event: string; topic: string }[];
  subscriptions: EventSubscription[];
  queue?: string;
}

export function messagingPlanOf(blueprint: Blueprint, module: BlueprintModule): MessagingPlan {
  if (module.infrastructure?.queue !== 'azure-service-bus') return { serviceBus: false, emittedTopics: [], subscriptions: [] };
  const external = new Set(externalEventsOf(blueprint, module));
  const slug = kebabCase(module.name);
  const subscriptions = sortedUnique(module.events.consumes).map((event) => ({ event, topic: eventSlug(event), subscription: slug, external: external.has(event) }));
  const queueTrigger = scalingOf(module).triggers.some((trigger) => trigger.type === 'queue');
  return {
    serviceBus: true,
    emittedTopics: sortedUnique(module.events.emits).map((event) => ({ event, topic: eventSlug(event) })),
    subscriptions,
    ...(queueTrigger && !subscriptions.length ? { queue: `${slug}-work` } : {}),
  };
}

/** The Cosmos DB layout of a module: database named after it, a container per entity (`appointments`). */
export function cosmosPlanOf(module: BlueprintModule): { database: string; containers: { entity: string; name: string }[] } | undefined {
  if (module.infrastructure?.database !== 'cosmos') return undefined;
  return { database: kebabCase(module.name), containers: module.entities.map((entity) => ({ entity: entity.name, name: collectionSegment(entity.name) })) };
}

/**
 * The partition key of every generated Cosmos container: `partitionKey`, which the service sets to
 * the entity id (point reads, no hot partition) and to the owning entity's id on its outbox items, so
 * an entity change and its events are one transactional batch (issue 10 §4).
 */
export const COSMOS_PARTITION_KEY = '/partitionKey';

/**
 * Configuration a module reads from its environment that follows from the blueprint alone (no
 * endpoints, no secrets), sorted by name: the Container App env, the Function App settings and the
 * Kubernetes ConfigMap carry the same values.
 */
export function staticSettingsOf(blueprint: Blueprint, module: BlueprintModule): [string, string][] {
  const settings: Record<string, string> = {
    BLUEPRINT_NAME: blueprint.metadata.name,
    HOST: '0.0.0.0',
    LOG_FORMAT: 'json',
    MODULE_NAME: module.name,
    PORT: String(SERVICE_PORT),
  };
  const { retries, circuitBreaker, timeoutSeconds } = module.resilience ?? {};
  if (retries) settings.RETRY_MAX_ATTEMPTS = String(retries.maxAttempts);
  if (retries?.backoffSeconds !== undefined) settings.RETRY_BACKOFF_SECONDS = String(retries.backoffSeconds);
  if (circuitBreaker) {
    settings.CIRCUIT_BREAKER_THRESHOLD = String(circuitBreaker.threshold);
    settings.CIRCUIT_BREAKER_RESET_SECONDS = String(circuitBreaker.resetAfterSeconds);
  }
  if (timeoutSeconds !== undefined) settings.TIMEOUT_SECONDS = String(timeoutSeconds);
  const cosmos = cosmosPlanOf(module);
  if (cosmos) settings.COSMOS_DATABASE = cosmos.database;
  const messaging = messagingPlanOf(blueprint, module);
  if (messaging.emittedTopics.length) settings.SERVICEBUS_TOPICS = messaging.emittedTopics.map((topic) => topic.topic).join(',');
  if (messaging.subscriptions.length) settings.SERVICEBUS_SUBSCRIPTIONS = messaging.subscriptions.map((entry) => `${entry.topic}/${entry.subscription}`).join(',');
  if (messaging.queue) settings.SERVICEBUS_QUEUE = messaging.queue;
  return Object.entries(settings).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}
