import type { Blueprint, BlueprintModule } from '../../blueprints/schemas';
import { cosmosPlanOf, messagingPlanOf, scalingOf, SERVICE_PORT, sizingOf, staticSettingsOf } from '../infrastructurePlan';
import { kebabCase } from '../naming';
import { queueScaleTargets } from './dataResources';
import { AZURE_ROLES, roleAssignment } from './roles';

/** A Bicep string literal. */
export function bicepString(value: string): string {
  return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'").replace(/\$\{/g, '\\${')}'`;
}

function indent(text: string, spaces: number): string {
  const pad = ' '.repeat(spaces);
  return text
    .split('\n')
    .map((line) => (line ? pad + line : line))
    .join('\n');
}

/** `{ name, value }` settings: the static ones plus those only known from the deployed resources. */
function settingEntries(blueprint: Blueprint, module: BlueprintModule): [string, string][] {
  const entries: [string, string][] = staticSettingsOf(blueprint, module).map(([name, value]) => [name, bicepString(value)]);
  entries.push(['AZURE_CLIENT_ID', 'identity.properties.clientId'], ['ENVIRONMENT', 'environmentName']);
  if (cosmosPlanOf(module)) entries.push(['COSMOS_ENDPOINT', 'cosmosAccount.properties.documentEndpoint']);
  if (messagingPlanOf(blueprint, module).serviceBus) entries.push(['SERVICEBUS_NAMESPACE', "'${serviceBus.name}.servicebus.windows.net'"]);
  return entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

function settingsArray(entries: [string, string][]): string {
  return `[\n${entries.map(([name, value]) => `  {\n    name: '${name}'\n    value: ${value}\n  }`).join('\n')}\n]`;
}

function scaleRules(blueprint: Blueprint, module: BlueprintModule): string[] {
  const rules: string[] = [];
  for (const trigger of scalingOf(module).triggers) {
    const threshold = String(trigger.threshold);
    if (trigger.type === 'cpu' || trigger.type === 'memory') {
      rules.push(`{\n  name: '${trigger.type}'\n  custom: {\n    type: '${trigger.type}'\n    metadata: {\n      type: 'Utilization'\n      value: '${threshold}'\n    }\n  }\n}`);
    } else if (trigger.type === 'http') {
      rules.push(`{\n  name: 'http'\n  http: {\n    metadata: {\n      concurrentRequests: '${threshold}'\n    }\n  }\n}`);
    }
  }
  for (const target of queueScaleTargets(blueprint, module)) {
    const metadata = [['namespace', 'serviceBus.name'], ...target.metadata.map(([key, value]) => [key, `'${value}'`])].map(([key, value]) => `      ${key}: ${value}`).join('\n');
    rules.push(`{\n  name: '${target.name}'\n  custom: {\n    type: 'azure-servicebus'\n    metadata: {\n${metadata}\n    }\n    identity: identity.id\n  }\n}`);
  }
  return rules;
}

/** The registry the image comes from, and AcrPull on it for the module identity. */
const REGISTRY_PULL = `resource registry 'Microsoft.ContainerRegistry/registries@2023-07-01' existing = {
  name: containerRegistryName
}

${roleAssignment('acrPull', 'registry', AZURE_ROLES.acrPull, 'acr-pull')}`;

/** A Container App (microservice, worker, gateway) in the given managed environment, pulling its image with its identity. */
export function containerApp(blueprint: Blueprint, module: BlueprintModule): string {
  const sizing = sizingOf(blueprint);
  const scaling = scalingOf(module);
  const ingress =
    module.kind === 'worker'
      ? ''
      : `\n      ingress: {\n        external: ${module.kind === 'gateway'}\n        targetPort: ${SERVICE_PORT}\n        transport: 'auto'\n      }`;
  const rules = scaleRules(blueprint, module);
  return `${REGISTRY_PULL}

resource app 'Microsoft.App/containerApps@2024-10-02-preview' = {
  name: take(baseName, 32)
  location: location
  tags: tags
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: {
      '\${identity.id}': {}
    }
  }
  properties: {
    managedEnvironmentId: managedEnvironmentId
    configuration: {
      activeRevisionsMode: 'Single'${ingress}
      registries: [
        {
          server: registry.properties.loginServer
          identity: identity.id
        }
      ]
    }
    template: {
      containers: [
        {
          name: '${kebabCase(module.name)}'
          image: containerImage
          resources: {
            cpu: json('${sizing.cpu}')
            memory: '${sizing.memory}'
          }
          env: ${indent(settingsArray(settingEntries(blueprint, module)), 10).trimStart()}
          probes: [
            {
              type: 'Liveness'
              httpGet: {
                path: '/health/live'
                port: ${SERVICE_PORT}
              }
            }
            {
              type: 'Readiness'
              httpGet: {
                path: '/health/ready'
                port: ${SERVICE_PORT}
              }
            }
          ]
        }
      ]
      scale: {
        minReplicas: ${scaling.minReplicas}
        maxReplicas: ${scaling.maxReplicas}
        rules: ${rules.length ? `[\n${indent(rules.join('\n'), 10)}\n        ]` : '[]'}
      }
    }
  }
  dependsOn: [
    acrPull
  ]
}`;
}

/** Flex Consumption limits on `maximumInstanceCount`. */
const FLEX_MIN_INSTANCES = 40;
const FLEX_MAX_INSTANCES = 1000;

/** A Function App on Flex Consumption with its deployment storage (identity-based, no keys). */
export function functionApp(blueprint: Blueprint, module: BlueprintModule): string[] {
  const scaling = scalingOf(module);
  const maxInstances = Math.min(FLEX_MAX_INSTANCES, Math.max(FLEX_MIN_INSTANCES, scaling.maxReplicas));
  const entries = settingEntries(blueprint, module);
  entries.push(['AzureWebJobsStorage__accountName', 'storage.name'], ['AzureWebJobsStorage__clientId', 'identity.properties.clientId'], ['AzureWebJobsStorage__credential', "'managedidentity'"]);
  if (messagingPlanOf(blueprint, module).serviceBus) {
    entries.push(
      ['ServiceBusConnection__clientId', 'identity.properties.clientId'],
      ['ServiceBusConnection__credential', "'managedidentity'"],
      ['ServiceBusConnection__fullyQualifiedNamespace', "'${serviceBus.name}.servicebus.windows.net'"],
    );
  }
  const alwaysReady = scaling.minReplicas > 0 ? `[\n          {\n            name: 'http'\n            instanceCount: ${scaling.minReplicas}\n          }\n        ]` : '[]';
  return [
    `resource storage 'Microsoft.Storage/storageAccounts@2023-05-01' = {
  name: take('st\${replace(baseName, '-', '')}\${uniqueString(resourceGroup().id)}', 24)
  location: location
  tags: tags
  sku: {
    name: 'Standard_LRS'
  }
  kind: 'StorageV2'
  properties: {
    allowSharedKeyAccess: false
    allowBlobPublicAccess: false
    minimumTlsVersion: 'TLS1_2'
  }
}`,
    `resource blobService 'Microsoft.Storage/storageAccounts/blobServices@2023-05-01' = {
  parent: storage
  name: 'default'
}`,
    `resource deploymentContainer 'Microsoft.Storage/storageAccounts/blobServices/containers@2023-05-01' = {
  parent: blobService
  name: 'deployments'
}`,
    roleAssignment('storageBlobOwner', 'storage', AZURE_ROLES.storageBlobDataOwner, 'storage-blob-owner'),
    `resource plan 'Microsoft.Web/serverfarms@2024-04-01' = {
  name: 'plan-\${baseName}'
  location: location
  tags: tags
  kind: 'functionapp'
  sku: {
    name: 'FC1'
    tier: 'FlexConsumption'
  }
  properties: {
    reserved: true
  }
}`,
    `resource app 'Microsoft.Web/sites@2024-04-01' = {
  name: take('func-\${baseName}-\${uniqueString(resourceGroup().id)}', 60)
  location: location
  tags: tags
  kind: 'functionapp,linux'
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: {
      '\${identity.id}': {}
    }
  }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    functionAppConfig: {
      deployment: {
        storage: {
          type: 'blobContainer'
          value: '\${storage.properties.primaryEndpoints.blob}\${deploymentContainer.name}'
          authentication: {
            type: 'UserAssignedIdentity'
            userAssignedIdentityResourceId: identity.id
          }
        }
      }
      scaleAndConcurrency: {
        // blueprint maxReplicas ${scaling.maxReplicas}, held within Flex Consumption's ${FLEX_MIN_INSTANCES}..${FLEX_MAX_INSTANCES}
        maximumInstanceCount: ${maxInstances}
        instanceMemoryMB: 2048
        alwaysReady: ${alwaysReady}
      }
      runtime: {
        name: 'node'
        version: '20'
      }
    }
    siteConfig: {
      appSettings: ${indent(settingsArray(entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))), 6).trimStart()}
    }
  }
}`,
  ];
}
