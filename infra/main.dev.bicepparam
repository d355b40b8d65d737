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

// The bootstrap PlatformAdmin API key (at least 24 characters), written to the Key Vault as secret
// factory-admin-key, e.g. FACTORY_ADMIN_KEY=$(openssl rand -base64 36 | tr -d '/+=').
param bootstrapAdminKey = readEnvironmentVariable('FACTORY_ADMIN_KEY')

// The audit chain key (64 alphanumerics), written to the Key Vault as secret factory-audit-key,
// e.g. FACTORY_AUDIT_KEY=$(openssl rand -base64 64 | tr -d '/+=\n' | head -c 64).
param auditKey = readEnvironmentVariable('FACTORY_AUDIT_KEY')

// Azure OpenAI account resource id (the app identity gets Cognitive Services OpenAI User on it); empty = built-in skills.
param azureOpenAIResourceId = readEnvironmentVariable('AZURE_OPENAI_RESOURCE_ID', '')
