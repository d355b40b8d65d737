// The user-assigned managed identity the Function App runs as. Every data-plane connection
// (storage, Cosmos DB, Service Bus, Key Vault, Application Insights, Durable Task Scheduler) uses it.

@description('Name of the identity')
param name string

@description('Region')
param location string

@description('Tags')
param tags object = {}

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' = {
  name: name
  location: location
  tags: tags
}

output id string = identity.id
output name string = identity.name
output principalId string = identity.properties.principalId
output clientId string = identity.properties.clientId
