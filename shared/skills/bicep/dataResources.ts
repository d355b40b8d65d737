import type { Blueprint, BlueprintModule } from '../../blueprints/schemas';
import { COSMOS_PARTITION_KEY, cosmosPlanOf, messagingPlanOf, scalingOf } from '../infrastructurePlan';
import { AZURE_ROLES, roleAssignment } from './roles';

const COSMOS_API = '2024-05-15';
const SERVICE_BUS_API = '2022-10-01-preview';

/** Turns `appointment-booked-v1` into a Bicep identifier part: `AppointmentBookedV1`. */
export function symbolPart(slug: string): string {
  return slug
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((part) => part[0].toUpperCase() + part.slice(1))
    .join('');
}

/** Cosmos account, database, a container per entity and the data-contributor assignment; none for other databases. */
export function cosmosResources(blueprint: Blueprint, module: BlueprintModule): string[] {
  const plan = cosmosPlanOf(module);
  if (!plan) return [];
  const edition = blueprint.spec.edition ?? 'pro';
  const capabilities = edition === 'free' ? `[\n      {\n        name: 'EnableServerless'\n      }\n    ]` : '[]';
  const account = `resource cosmosAccount 'Microsoft.DocumentDB/databaseAccounts@${COSMOS_API}' = {
  name: take('cosmos-\${baseName}-\${uniqueString(resourceGroup().id)}', 44)
  location: location
  tags: tags
  kind: 'GlobalDocumentDB'
  properties: {
    databaseAccountOfferType: 'Standard'
    disableLocalAuth: true
    minimalTlsVersion: 'Tls12'
    locations: [
      {
        locationName: location
        failoverPriority: 0
        isZoneRedundant: ${edition === 'enterprise'}
      }
    ]
    capabilities: ${capabilities}
  }
}`;
  const database = `resource cosmosDatabase 'Microsoft.DocumentDB/databaseAccounts/sqlDatabases@${COSMOS_API}' = {
  parent: cosmosAccount
  name: '${plan.database}'
  properties: {
    resource: {
      id: '${plan.database}'
    }
  }
}`;
  const containers = plan.containers.map(
    (container) => `resource container${symbolPart(container.name)} 'Microsoft.DocumentDB/databaseAccounts/sqlDatabases/containers@${COSMOS_API}' = {
  parent: cosmosDatabase
  name: '${container.name}'
  properties: {
    resource: {
      id: '${container.name}'
      partitionKey: {
        paths: [
          '${COSMOS_PARTITION_KEY}'
        ]
        kind: 'Hash'
        version: 2
      }
    }
  }
}`,
  );
  const contributor = `resource cosmosDataContributor 'Microsoft.DocumentDB/databaseAccounts/sqlRoleAssignments@${COSMOS_API}' = {
  parent: cosmosAccount
  name: guid(cosmosAccount.id, identity.id, 'cosmos-data-contributor')
  properties: {
    roleDefinitionId: '\${cosmosAccount.id}/sqlRoleDefinitions/${AZURE_ROLES.cosmosDataContributor}'
    principalId: identity.properties.principalId
    scope: cosmosAccount.id
  }
}`;
  return [account, database, ...containers, contributor];
}

/** Namespace, topics, subscriptions, work queue and sender/receiver assignments on Service Bus. */
export function serviceBusResources(blueprint: Blueprint, module: BlueprintModule): string[] {
  const plan = messagingPlanOf(blueprint, module);
  if (!plan.serviceBus) return [];
  const premium = blueprint.spec.edition === 'enterprise';
  const maxDelivery = module.resilience?.retries?.maxAttempts ?? 10;
  const blocks = [
    `resource serviceBus 'Microsoft.ServiceBus/namespaces@${SERVICE_BUS_API}' = {
  name: serviceBusNamespaceName
  location: location
  tags: tags
  sku: {
    name: '${premium ? 'Premium' : 'Standard'}'${premium ? '\n    capacity: 1' : ''}
  }
  properties: {
    disableLocalAuth: true
    minimumTlsVersion: '1.2'
  }
}`,
  ];
  const topics = [...new Set([...plan.emittedTopics.map((entry) => entry.topic), ...plan.subscriptions.map((entry) => entry.topic)])].sort();
  for (const topic of topics) {
    blocks.push(`resource topic${symbolPart(topic)} 'Microsoft.ServiceBus/namespaces/topics@${SERVICE_BUS_API}' = {
  parent: serviceBus
  name: '${topic}'
}`);
  }
  for (const entry of plan.subscriptions) {
    blocks.push(`resource subscription${symbolPart(entry.topic)} 'Microsoft.ServiceBus/namespaces/topics/subscriptions@${SERVICE_BUS_API}' = {
  parent: topic${symbolPart(entry.topic)}
  name: '${entry.subscription}'
  properties: {
    maxDeliveryCount: ${maxDelivery}
    deadLetteringOnMessageExpiration: true
  }
}`);
  }
  if (plan.queue) {
    blocks.push(`resource workQueue 'Microsoft.ServiceBus/namespaces/queues@${SERVICE_BUS_API}' = {
  parent: serviceBus
  name: '${plan.queue}'
  properties: {
    maxDeliveryCount: ${maxDelivery}
    deadLetteringOnMessageExpiration: true
  }
}`);
  }
  for (const queue of namedQueuesOf(module).filter((name) => name !== plan.queue)) {
    blocks.push(`resource ${namedQueueSymbol(queue)} 'Microsoft.ServiceBus/namespaces/queues@${SERVICE_BUS_API}' = {
  parent: serviceBus
  name: '${queue}'
  properties: {
    maxDeliveryCount: ${maxDelivery}
    deadLetteringOnMessageExpiration: true
  }
}`);
  }
  if (plan.emittedTopics.length) blocks.push(roleAssignment('serviceBusSender', 'serviceBus', AZURE_ROLES.serviceBusDataSender, 'service-bus-sender'));
  if (plan.subscriptions.length || plan.queue || namedQueuesOf(module).length) blocks.push(roleAssignment('serviceBusReceiver', 'serviceBus', AZURE_ROLES.serviceBusDataReceiver, 'service-bus-receiver'));
  return blocks;
}

/**
 * The Service Bus queues the module's `queueLength` triggers name, sorted, each once: the template
 * declares them (the module reads them, so it gets the receiver role) and scales on their length.
 */
export function namedQueuesOf(module: BlueprintModule): string[] {
  const names = scalingOf(module).triggers.flatMap((trigger) => (trigger.type === 'queueLength' ? [trigger.queue] : []));
  return [...new Set(names)].sort();
}

/** The Bicep symbol of a named queue: `queue` + its name in Pascal case, made unique by a hash when two names collide. */
export function namedQueueSymbol(queue: string): string {
  return `queue${symbolPart(queue)}${/^[A-Za-z0-9-]+$/.test(queue) ? '' : `X${stableHash(queue)}`}`;
}

function stableHash(text: string): string {
  let hash = 5381;
  for (const char of text) hash = ((hash * 33) ^ char.charCodeAt(0)) >>> 0;
  return hash.toString(36);
}

/**
 * A Container Apps scale rule name from a queue name: lower case letters, digits, `-` and `.`,
 * starting and ending alphanumeric (the rule name is a Kubernetes-style name; at most 63 characters).
 */
function ruleName(prefix: string, name: string): string {
  const slug = name.toLowerCase().replace(/[^a-z0-9.-]+/g, '-');
  return `${prefix}-${slug}`.slice(0, 63).replace(/[^a-z0-9]+$/, '');
}

/**
 * The azure-servicebus (KEDA) scale rules of the module's app: a `queueLength` trigger scales on its
 * named queue; a `queue` trigger on the module's work queue, or on each of its topic subscriptions.
 * `messageCount` is the trigger's threshold (messages per replica).
 */
export function queueScaleTargets(blueprint: Blueprint, module: BlueprintModule): { name: string; metadata: [string, string][] }[] {
  const plan = messagingPlanOf(blueprint, module);
  if (!plan.serviceBus) return [];
  // Keyed by what is read (queue, or topic + subscription), so a queue scales by one rule only.
  const targets = new Map<string, { name: string; metadata: [string, string][] }>();
  const add = (source: string, prefix: string, metadata: [string, string][], basis = source) => {
    if (targets.has(source)) return;
    const taken = new Set([...targets.values()].map((target) => target.name));
    const name = ruleName(prefix, basis);
    targets.set(source, { name: taken.has(name) ? `${name.slice(0, 55)}-${stableHash(source)}` : name, metadata });
  };
  for (const trigger of scalingOf(module).triggers) {
    if (trigger.type === 'queueLength') add(trigger.queue, 'queue', [['queueName', trigger.queue], ['messageCount', String(trigger.threshold)]]);
    if (trigger.type !== 'queue') continue;
    const count = String(trigger.threshold);
    if (plan.queue) add(plan.queue, 'queue', [['queueName', plan.queue], ['messageCount', count]]);
    else for (const entry of plan.subscriptions) add(`${entry.topic}/${entry.subscription}`, 'topic', [['topicName', entry.topic], ['subscriptionName', entry.subscription], ['messageCount', count]], entry.topic);
  }
  return [...targets.values()];
}
