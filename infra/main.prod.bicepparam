// Production: autoscale Cosmos DB, larger scale-out ceiling, purge protection, longer log retention.
// az deployment sub create --location <region> --template-file infra/main.bicep --parameters infra/main.prod.bicepparam
using './main.bicep'

param environmentName = readEnvironmentVariable('AZURE_ENV_NAME', 'factory-prod')
param location = readEnvironmentVariable('AZURE_LOCATION', 'swedencentral')
param principalId = ''

param cosmosCapacityMode = 'autoscale'
param cosmosAutoscaleMaxThroughput = 4000
param functionMaximumInstanceCount = 200
param functionInstanceMemoryMB = 2048
param keyVaultPurgeProtection = true
param logRetentionInDays = 90

param useDurableTaskScheduler = bool(readEnvironmentVariable('USE_DURABLE_TASK_SCHEDULER', 'false'))
param durableTaskSchedulerSku = 'Dedicated'

// Entra ID token validation: all three or none.
param entraIssuer = readEnvironmentVariable('ENTRA_ISSUER', '')
param entraAudience = readEnvironmentVariable('ENTRA_AUDIENCE', '')
param entraJwksUri = readEnvironmentVariable('ENTRA_JWKS_URI', '')
