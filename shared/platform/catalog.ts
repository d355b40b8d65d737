/**
 * The Azure resources the code uses, by name: Cosmos containers with their partition keys, Service
 * Bus queues, the event topic and its subscriptions. infra/ declares exactly these (checked by a test).
 */

export interface ContainerDefinition {
  name: string;
  /** Partition key paths; two paths make a hierarchical key. Always starts with /tenantId. */
  partitionKey: ['/tenantId'] | ['/tenantId', '/projectId'];
  /** What lives there. */
  holds: string;
}

export const CONTAINERS = [
  { name: 'tenants', partitionKey: ['/tenantId'], holds: 'tenants, editions, feature flags' },
  { name: 'identity', partitionKey: ['/tenantId'], holds: 'API keys and role grants' },
  { name: 'projects', partitionKey: ['/tenantId'], holds: 'projects, environments, modules' },
  { name: 'blueprints', partitionKey: ['/tenantId', '/projectId'], holds: 'immutable blueprint versions' },
  { name: 'artifacts', partitionKey: ['/tenantId', '/projectId'], holds: 'artifact metadata and lineage' },
  { name: 'workflows', partitionKey: ['/tenantId', '/projectId'], holds: 'workflow instances, steps, agent tasks' },
  { name: 'governance', partitionKey: ['/tenantId'], holds: 'policies, decisions, approvals' },
  { name: 'audit', partitionKey: ['/tenantId'], holds: 'the hash-chained audit trail' },
  { name: 'usage', partitionKey: ['/tenantId', '/projectId'], holds: 'usage records, rollups, budgets' },
  { name: 'delivery', partitionKey: ['/tenantId', '/projectId'], holds: 'environments, releases, promotions, deployments, drift findings' },
] as const satisfies readonly ContainerDefinition[];

export type ContainerName = (typeof CONTAINERS)[number]['name'];

export const QUEUES = {
  agentTasks: 'agent-tasks',
  agentResults: 'agent-results',
} as const;

export type QueueName = (typeof QUEUES)[keyof typeof QUEUES];

export const EVENTS_TOPIC = 'factory-events';

/**
 * Subscriptions on the event topic, one per consumer: each is the `subscriptionName` of a
 * `serviceBusTopic` trigger of this app (test/infra.test.ts checks both directions). None consumes the
 * topic yet; a subscription without a reader would keep every event until its dead-letter queue fills
 * the topic's quota and publishing (the outbox) stops.
 */
export const EVENT_SUBSCRIPTIONS: readonly string[] = [];
