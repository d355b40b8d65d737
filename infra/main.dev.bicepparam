// Development: serverless Cosmos DB, small scale-out ceiling, no purge protection.
// az deployment sub create --location <region> --template-file infra/main.bicep --parameters infra/main.dev.bicepparam
using './main.bicep'

param environmentName = readEnvironmentVariable('AZURE_ENV_NAME', 'factory-dev')
param location = readEnvironmentVariable('AZURE_LOCATION', 'swedencentral')
param principalId = readEnvironmentVariable('AZURE_PRINCIPAL_ID', '')

param cosmosCapacityMode = 'serverless'
param functionMaximumInstanceCount = 40
param functionInstanceMemoryMB = 2048
param keyVaultPurgeProtection = false
param logRetentionInDays = 30

param useDurableTaskScheduler = bool(readEnvironmentVariable('USE_DURABLE_TASK_SCHEDULER', 'false'))
param durableTaskSchedulerSku = 'Consumption'

// Entra ID token validation: all three or none.
param entraIssuer = readEnvironmentVariable('ENTRA_ISSUER', '')
param entraAudience = readEnvironmentVariable('ENTRA_AUDIENCE', '')
param entraJwksUri = readEnvironmentVariable('ENTRA_JWKS_URI', '')
