// Azure baseline of the Software Factory control plane, deployed by `azd up` (azure.yaml) or
// `az deployment sub create` with main.<env>.bicepparam. Subscription scope: it creates the
// resource group, then composes the modules in ./modules.
targetScope = 'subscription'

// ---------------------------------------------------------------------------------------------
// Parameters
// ---------------------------------------------------------------------------------------------

@minLength(1)
@maxLength(64)
@description('Name of the environment (azd: AZURE_ENV_NAME); seeds the resource names and the azd-env-name tag')
param environmentName string

@minLength(1)
@description('Region of every resource; pick one that offers Flex Consumption (and the Durable Task Scheduler when used)')
@metadata({
  azd: {
    type: 'location'
  }
})
param location string

@description('Object id of a user, group or service principal that also gets data access (azd: AZURE_PRINCIPAL_ID); empty: none')
param principalId string = ''

@description('Type of principalId')
@allowed([
  'User'
  'Group'
  'ServicePrincipal'
])
param principalType string = 'User'

@description('Resource group name; default rg-<environmentName>')
param resourceGroupName string = ''

@description('Cosmos DB capacity: serverless (pay per request) or autoscale (provisioned, per container)')
@allowed([
  'serverless'
  'autoscale'
])
param cosmosCapacityMode string = 'serverless'

@description('Autoscale ceiling in RU/s per container (autoscale only)')
@minValue(1000)
param cosmosAutoscaleMaxThroughput int = 1000

@description('Cosmos database name (COSMOS_DATABASE)')
param cosmosDatabaseName string = 'factory'

@description('Blob container for artifact content (BLOB_CONTAINER)')
param blobContainerName string = 'artifacts'

@description('Node.js major version of the Function App (applicationinsights 3.16 pulls @azure/monitor-opentelemetry, which requires Node.js 22)')
@allowed([
  '20'
  '22'
])
param nodeVersion string = '22'

@description('Flex Consumption: most instances')
@minValue(40)
@maxValue(1000)
param functionMaximumInstanceCount int = 100

@description('Flex Consumption: memory per instance')
@allowed([
  512
  2048
  4096
])
param functionInstanceMemoryMB int = 2048

@description('Service Bus: deliveries before a message is dead-lettered')
@minValue(1)
param serviceBusMaxDeliveryCount int = 10

@description('Service Bus: peek-lock duration (ISO 8601, at most PT5M)')
param serviceBusLockDuration string = 'PT1M'

@description('Key Vault purge protection (irreversible; production)')
param keyVaultPurgeProtection bool = false

@description('Log Analytics retention in days')
@minValue(30)
@maxValue(730)
param logRetentionInDays int = 30

@description('Durable Functions backend: false = Azure Storage provider (task hub in the storage account); true = Durable Task Scheduler')
param useDurableTaskScheduler bool = false

@description('Durable Task Scheduler SKU (when useDurableTaskScheduler)')
@allowed([
  'Consumption'
  'Dedicated'
])
param durableTaskSchedulerSku string = 'Consumption'

@description('Resource id of the Azure OpenAI account (Microsoft.CognitiveServices/accounts, kind OpenAI; any resource group or subscription) for agents whose policy allows it: the app identity gets Cognitive Services OpenAI User on it and AZURE_OPENAI_ENDPOINT is its endpoint. Empty = built-in skills only')
param azureOpenAIResourceId string = ''

@description('AZURE_OPENAI_DEPLOYMENT: default deployment name')
param azureOpenAIDeployment string = ''

@description('AZURE_OPENAI_API_VERSION: data-plane API version')
param azureOpenAIApiVersion string = '2024-10-21'

@description('FACTORY_RATE_LIMIT_TENANT_RPS: tokens per second all principals of one tenant get for /api, per instance (a read takes 1, a change 5; 0 = no limit)')
param rateLimitTenantRps int = 100

@description('FACTORY_RATE_LIMIT_PRINCIPAL_RPS: tokens per second of one API key or identity for /api, per instance (0 = no limit)')
param rateLimitPrincipalRps int = 50

@description('FACTORY_RATE_LIMIT_BURST_SECONDS: seconds of tokens a rate-limit bucket holds for bursts')
param rateLimitBurstSeconds int = 2

@description('FACTORY_VALIDATION_CONCURRENCY: ValidateService tasks one instance runs at once (the rest wait in a queue fair by workflow start); each takes about one CPU while it type-checks')
param validationConcurrency int = 2

@description('FACTORY_PRICE_TABLE: JSON prices by model over the built-in table; empty = built-in table')
param priceTable string = ''

@description('FACTORY_AGENT_TASK_TIMEOUT_SECONDS: agent task attempt timeout; Service Bus message locks are renewed for as long (plus a margin)')
@minValue(1)
@maxValue(82800)
param agentTaskTimeoutSeconds int = 600

@description('FACTORY_APPROVAL_TIMEOUT_SECONDS: approval wait before escalation (and again before expiry)')
param approvalTimeoutSeconds int = 86400

@description('FACTORY_BOOTSTRAP_MERGE: merge | pull-request (what a completed ProjectBootstrap does with its branch)')
param bootstrapMerge string = 'merge'

@description('FACTORY_DRIFT_SCAN_SCHEDULE: NCRONTAB of the driftScan timer')
param driftScanSchedule string = '0 */3 * * * *'

@description('FACTORY_CONTAINERAPPS_ENVIRONMENT_ID: Container Apps environment generated services run in (empty = no runtime in Azure)')
param containerAppsEnvironmentId string = ''

@description('FACTORY_CONTAINERAPPS_LOCATION: region of the container apps')
param containerAppsLocation string = ''

@description('FACTORY_RUNTIME_IDENTITY_ID: user-assigned identity of the container apps (image pull, Key Vault)')
param runtimeIdentityId string = ''

@description('FACTORY_CONTAINER_REGISTRY: login server the pipelines push images to')
param containerRegistry string = ''

@description('FACTORY_GIT_REMOTE: https git remote for project repositories ({tenantId}/{projectId} placeholders); empty = repositories stay on the instance')
param gitRemote string = ''

@description('FACTORY_GIT_USERNAME: user name for the git remote; empty = per host default')
param gitUsername string = ''

@secure()
@minLength(24)
@description('FACTORY_ADMIN_KEY: the bootstrap PlatformAdmin API key, stored as Key Vault secret factory-admin-key (the app setting is a Key Vault reference). azd generates it once per environment; read it back from the vault')
@metadata({
  azd: {
    type: 'generate'
    config: {
      length: 48
      noSpecial: true
    }
  }
})
param bootstrapAdminKey string

@secure()
@minLength(64)
@description('FACTORY_AUDIT_KEY: the secret the audit chain is keyed and its checkpoints signed with, stored as Key Vault secret factory-audit-key (the app setting is a Key Vault reference). azd generates it once per environment; 64 alphanumerics read as base64 give 48 bytes')
@metadata({
  azd: {
    type: 'generate'
    config: {
      length: 64
      noSpecial: true
    }
  }
})
param auditKey string

@description('ENTRA_ISSUER: issuer of accepted Entra ID tokens; set all three ENTRA_* or none')
param entraIssuer string = ''

@description('ENTRA_AUDIENCE: audience of accepted Entra ID tokens')
param entraAudience string = ''

@description('ENTRA_JWKS_URI: JWKS endpoint for Entra ID token signatures')
param entraJwksUri string = ''

// ---------------------------------------------------------------------------------------------
// What the code uses, by name: mirrors shared/platform/catalog.ts (test/infra.test.ts keeps the
// two equal). Partition key paths: two paths make a hierarchical key.
// ---------------------------------------------------------------------------------------------

var cosmosContainers = [
  { name: 'tenants', partitionKeyPaths: ['/tenantId'] }
  { name: 'identity', partitionKeyPaths: ['/tenantId'] }
  { name: 'projects', partitionKeyPaths: ['/tenantId'] }
  { name: 'blueprints', partitionKeyPaths: ['/tenantId', '/projectId'] }
  { name: 'artifacts', partitionKeyPaths: ['/tenantId', '/projectId'] }
  { name: 'workflows', partitionKeyPaths: ['/tenantId', '/projectId'] }
  { name: 'governance', partitionKeyPaths: ['/tenantId'] }
  { name: 'audit', partitionKeyPaths: ['/tenantId'] }
  { name: 'usage', partitionKeyPaths: ['/tenantId', '/projectId'] }
  { name: 'delivery', partitionKeyPaths: ['/tenantId', '/projectId'] }
]

var serviceBusQueues = [
  'agent-tasks'
  'agent-results'
]

var eventTopicName = 'factory-events'

// One per consumer (a serviceBusTopic trigger); none consumes the topic yet, so none is declared: a
// subscription nobody reads keeps every event until it is dead-lettered and fills the topic's quota.
var eventSubscriptions = []

// Task hub name of host.json (extensions.durableTask.hubName)
var taskHubName = 'SoftwareFactory'

// Key Vault secrets the app reads through Key Vault references (resolved with the user-assigned
// identity: functionapp.bicep sets keyVaultReferenceIdentity).
var adminKeySecretName = 'factory-admin-key'
var auditKeySecretName = 'factory-audit-key'
var gitTokenSecretName = 'factory-git-token'

// Service Bus triggers: the Functions host renews a message's lock while its handler runs, by default
// for at most 5 minutes; an agent task may run for agentTaskTimeoutSeconds, so renew for that plus a
// minute (as an hh:mm:ss TimeSpan, the format of host.json).
var serviceBusLockRenewalSeconds = agentTaskTimeoutSeconds + 60
var serviceBusLockRenewal = '${padLeft(string(serviceBusLockRenewalSeconds / 3600), 2, '0')}:${padLeft(string((serviceBusLockRenewalSeconds % 3600) / 60), 2, '0')}:${padLeft(string(serviceBusLockRenewalSeconds % 60), 2, '0')}'

// The Azure OpenAI account, from its resource id (a placeholder when none is configured, so that the
// scope of the skipped module still evaluates).
var openAIIdParts = split(empty(azureOpenAIResourceId) ? '/subscriptions/${subscription().subscriptionId}/resourceGroups/none/providers/Microsoft.CognitiveServices/accounts/none' : azureOpenAIResourceId, '/')

// ---------------------------------------------------------------------------------------------
// Names
// ---------------------------------------------------------------------------------------------

var resourceToken = toLower(uniqueString(subscription().id, environmentName, location))
var tags = {
  'azd-env-name': environmentName
  application: 'software-factory'
}
var names = {
  resourceGroup: empty(resourceGroupName) ? 'rg-${environmentName}' : resourceGroupName
  identity: 'id-${resourceToken}'
  logAnalytics: 'log-${resourceToken}'
  appInsights: 'appi-${resourceToken}'
  storage: 'st${resourceToken}'
  cosmos: 'cosmos-${resourceToken}'
  serviceBus: 'sb-${resourceToken}'
  keyVault: 'kv-${resourceToken}'
  plan: 'plan-${resourceToken}'
  functionApp: 'func-${resourceToken}'
  durableTaskScheduler: 'dts-${resourceToken}'
  deploymentContainer: 'app-package'
}

// ---------------------------------------------------------------------------------------------
// Resources
// ---------------------------------------------------------------------------------------------

resource rg 'Microsoft.Resources/resourceGroups@2024-03-01' = {
  name: names.resourceGroup
  location: location
  tags: tags
}

module identity './modules/identity.bicep' = {
  name: 'identity'
  scope: rg
  params: {
    name: names.identity
    location: location
    tags: tags
  }
}

module monitoring './modules/monitoring.bicep' = {
  name: 'monitoring'
  scope: rg
  params: {
    logAnalyticsName: names.logAnalytics
    appInsightsName: names.appInsights
    location: location
    tags: tags
    retentionInDays: logRetentionInDays
  }
}

module storage './modules/storage.bicep' = {
  name: 'storage'
  scope: rg
  params: {
    name: names.storage
    location: location
    tags: tags
    containerNames: [
      names.deploymentContainer
      blobContainerName
    ]
  }
}

module cosmos './modules/cosmos.bicep' = {
  name: 'cosmos'
  scope: rg
  params: {
    accountName: names.cosmos
    location: location
    tags: tags
    databaseName: cosmosDatabaseName
    containers: cosmosContainers
    capacityMode: cosmosCapacityMode
    autoscaleMaxThroughput: cosmosAutoscaleMaxThroughput
  }
}

module serviceBus './modules/servicebus.bicep' = {
  name: 'servicebus'
  scope: rg
  params: {
    namespaceName: names.serviceBus
    location: location
    tags: tags
    queueNames: serviceBusQueues
    topicName: eventTopicName
    subscriptionNames: eventSubscriptions
    maxDeliveryCount: serviceBusMaxDeliveryCount
    lockDuration: serviceBusLockDuration
  }
}

module keyVault './modules/keyvault.bicep' = {
  name: 'keyvault'
  scope: rg
  params: {
    name: names.keyVault
    location: location
    tags: tags
    enablePurgeProtection: keyVaultPurgeProtection
    adminKeySecretName: adminKeySecretName
    adminKey: bootstrapAdminKey
    auditKeySecretName: auditKeySecretName
    auditKey: auditKey
  }
}

module openAIAccess './modules/openai-access.bicep' = if (!empty(azureOpenAIResourceId)) {
  name: 'openai-access'
  scope: resourceGroup(openAIIdParts[2], openAIIdParts[4])
  params: {
    accountName: openAIIdParts[8]
    appPrincipalId: identity.outputs.principalId
  }
}

module access './modules/access.bicep' = {
  name: 'access'
  scope: rg
  params: {
    appPrincipalId: identity.outputs.principalId
    userPrincipalId: principalId
    userPrincipalType: principalType
    storageAccountName: storage.outputs.name
    cosmosAccountName: cosmos.outputs.name
    serviceBusNamespaceName: serviceBus.outputs.name
    keyVaultName: keyVault.outputs.name
    appInsightsName: monitoring.outputs.appInsightsName
  }
}

module durableTask './modules/durabletask.bicep' = if (useDurableTaskScheduler) {
  name: 'durabletask'
  scope: rg
  params: {
    name: names.durableTaskScheduler
    location: location
    tags: tags
    taskHubName: toLower(taskHubName)
    skuName: durableTaskSchedulerSku
    appPrincipalId: identity.outputs.principalId
    userPrincipalId: principalId
    userPrincipalType: principalType
  }
}

// The settings the code reads: every Azure key of configSchema in shared/platform/config.ts.
// (Local-only keys stay out: FACTORY_DATA_DIR, COSMOS_KEY, BLOB_CONNECTION_STRING, AZURE_OPENAI_API_KEY;
// LOG_LEVEL keeps its default.) An empty ENTRA_* value counts as unset. Secrets are Key Vault references.
var appSettings = {
  COSMOS_ENDPOINT: cosmos.outputs.endpoint
  COSMOS_DATABASE: cosmosDatabaseName
  SERVICEBUS_NAMESPACE: serviceBus.outputs.fullyQualifiedNamespace
  BLOB_ACCOUNT_URL: storage.outputs.blobEndpoint
  BLOB_CONTAINER: blobContainerName
  AZURE_CLIENT_ID: identity.outputs.clientId
  APPLICATIONINSIGHTS_CONNECTION_STRING: monitoring.outputs.connectionString
  ENTRA_ISSUER: entraIssuer
  ENTRA_AUDIENCE: entraAudience
  ENTRA_JWKS_URI: entraJwksUri
  AZURE_OPENAI_ENDPOINT: empty(azureOpenAIResourceId) ? '' : openAIAccess.outputs.endpoint
  AZURE_OPENAI_DEPLOYMENT: azureOpenAIDeployment
  AZURE_OPENAI_API_VERSION: azureOpenAIApiVersion
  FACTORY_PRICE_TABLE: priceTable
  FACTORY_RATE_LIMIT_TENANT_RPS: string(rateLimitTenantRps)
  FACTORY_RATE_LIMIT_PRINCIPAL_RPS: string(rateLimitPrincipalRps)
  FACTORY_RATE_LIMIT_BURST_SECONDS: string(rateLimitBurstSeconds)
  FACTORY_VALIDATION_CONCURRENCY: string(validationConcurrency)
  FACTORY_AGENT_TASK_TIMEOUT_SECONDS: string(agentTaskTimeoutSeconds)
  FACTORY_APPROVAL_TIMEOUT_SECONDS: string(approvalTimeoutSeconds)
  AGENT_TASK_MAX_DELIVERY_COUNT: string(serviceBusMaxDeliveryCount)
  FACTORY_GIT_REMOTE: gitRemote
  FACTORY_BOOTSTRAP_MERGE: bootstrapMerge
  FACTORY_DRIFT_SCAN_SCHEDULE: driftScanSchedule
  FACTORY_CONTAINERAPPS_ENVIRONMENT_ID: containerAppsEnvironmentId
  FACTORY_CONTAINERAPPS_LOCATION: containerAppsLocation
  FACTORY_RUNTIME_IDENTITY_ID: runtimeIdentityId
  FACTORY_CONTAINER_REGISTRY: containerRegistry
  FACTORY_GIT_USERNAME: gitUsername
  // Key Vault references. factory-admin-key and factory-audit-key are written by keyvault.bicep;
  // operators add factory-git-token. Every instance keys and verifies the audit chain with the same secret.
  FACTORY_ADMIN_KEY: '@Microsoft.KeyVault(VaultName=${keyVault.outputs.name};SecretName=${adminKeySecretName})'
  FACTORY_AUDIT_KEY: '@Microsoft.KeyVault(VaultName=${keyVault.outputs.name};SecretName=${auditKeySecretName})'
  FACTORY_GIT_TOKEN: empty(gitRemote) ? '' : '@Microsoft.KeyVault(VaultName=${keyVault.outputs.name};SecretName=${gitTokenSecretName})'
}

// host.json values that depend on parameters, as app settings (AzureFunctionsJobHost__<path> overrides host.json).
var hostSettings = {
  AzureFunctionsJobHost__extensions__serviceBus__maxAutoLockRenewalDuration: serviceBusLockRenewal
}

// With the Durable Task Scheduler, app settings override host.json's durableTask section
// (AzureFunctionsJobHost__<path>), so host.json stays as it is for the Azure Storage provider.
// The connection string names an endpoint and the identity; it holds no secret.
var durableTaskSchedulerSettings = useDurableTaskScheduler ? {
  DURABLE_TASK_SCHEDULER_CONNECTION_STRING: 'Endpoint=${durableTask.outputs.endpoint};Authentication=ManagedIdentity;ClientID=${identity.outputs.clientId}'
  AzureFunctionsJobHost__extensions__durableTask__storageProvider__type: 'azureManaged'
  AzureFunctionsJobHost__extensions__durableTask__storageProvider__connectionStringName: 'DURABLE_TASK_SCHEDULER_CONNECTION_STRING'
  AzureFunctionsJobHost__extensions__durableTask__hubName: durableTask.outputs.taskHubName
} : {}

module functionApp './modules/functionapp.bicep' = {
  name: 'functionapp'
  scope: rg
  params: {
    name: names.functionApp
    planName: names.plan
    location: location
    tags: tags
    serviceName: 'api'
    identityId: identity.outputs.id
    identityClientId: identity.outputs.clientId
    storageAccountName: storage.outputs.name
    deploymentContainerName: names.deploymentContainer
    serviceBusFullyQualifiedNamespace: serviceBus.outputs.fullyQualifiedNamespace
    appSettings: union(appSettings, hostSettings, durableTaskSchedulerSettings)
    nodeVersion: nodeVersion
    maximumInstanceCount: functionMaximumInstanceCount
    instanceMemoryMB: functionInstanceMemoryMB
  }
  // The host reads storage and Service Bus at start: grant the roles first.
  dependsOn: [
    access
  ]
}

// ---------------------------------------------------------------------------------------------
// Outputs (azd writes them to .azure/<env>/.env)
// ---------------------------------------------------------------------------------------------

output AZURE_LOCATION string = location
output AZURE_TENANT_ID string = tenant().tenantId
output AZURE_RESOURCE_GROUP string = rg.name
output AZURE_FUNCTION_APP_NAME string = functionApp.outputs.name
output SERVICE_API_NAME string = functionApp.outputs.name
output SERVICE_API_URI string = functionApp.outputs.uri
output AZURE_MANAGED_IDENTITY_NAME string = identity.outputs.name
output AZURE_MANAGED_IDENTITY_CLIENT_ID string = identity.outputs.clientId
output AZURE_STORAGE_ACCOUNT_NAME string = storage.outputs.name
output AZURE_COSMOS_ACCOUNT_NAME string = cosmos.outputs.name
output AZURE_SERVICEBUS_NAMESPACE_NAME string = serviceBus.outputs.name
output AZURE_KEY_VAULT_NAME string = keyVault.outputs.name
output AZURE_KEY_VAULT_ENDPOINT string = keyVault.outputs.uri
output APPLICATIONINSIGHTS_NAME string = monitoring.outputs.appInsightsName
output COSMOS_ENDPOINT string = cosmos.outputs.endpoint
output COSMOS_DATABASE string = cosmosDatabaseName
output SERVICEBUS_NAMESPACE string = serviceBus.outputs.fullyQualifiedNamespace
output BLOB_ACCOUNT_URL string = storage.outputs.blobEndpoint
output BLOB_CONTAINER string = blobContainerName
output DURABLE_TASK_SCHEDULER_ENDPOINT string = useDurableTaskScheduler ? durableTask.outputs.endpoint : ''
