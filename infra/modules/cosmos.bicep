// Cosmos DB (NoSQL API): the account, the database and every container of
// shared/platform/catalog.ts with its partition key. Keys are disabled: data-plane access is
// granted with Cosmos DB SQL role assignments (see access.bicep).

@description('Account name (3-44 lowercase letters, digits, hyphens)')
@minLength(3)
@maxLength(44)
param accountName string

@description('Region')
param location string

@description('Tags')
param tags object = {}

@description('Database name (COSMOS_DATABASE)')
param databaseName string

@description('Containers: [{ name: string, partitionKeyPaths: string[] }]; two paths make a hierarchical key')
param containers array

@description('serverless: pay per request (dev, bursty load); autoscale: provisioned autoscale throughput per container')
@allowed([
  'serverless'
  'autoscale'
])
param capacityMode string = 'serverless'

@description('Autoscale ceiling in RU/s per container (autoscale mode only)')
@minValue(1000)
param autoscaleMaxThroughput int = 1000

var serverless = capacityMode == 'serverless'

resource account 'Microsoft.DocumentDB/databaseAccounts@2024-11-15' = {
  name: accountName
  location: location
  tags: tags
  kind: 'GlobalDocumentDB'
  properties: {
    databaseAccountOfferType: 'Standard'
    locations: [
      {
        locationName: location
        failoverPriority: 0
        isZoneRedundant: false
      }
    ]
    consistencyPolicy: {
      defaultConsistencyLevel: 'Session'
    }
    capabilities: serverless ? [{ name: 'EnableServerless' }] : []
    disableLocalAuth: true
    disableKeyBasedMetadataWriteAccess: true
    minimalTlsVersion: 'Tls12'
    publicNetworkAccess: 'Enabled'
  }
}

resource database 'Microsoft.DocumentDB/databaseAccounts/sqlDatabases@2024-11-15' = {
  parent: account
  name: databaseName
  properties: {
    resource: {
      id: databaseName
    }
  }
}

// One path: kind Hash; two paths (/tenantId, /projectId): hierarchical key, kind MultiHash version 2.
resource sqlContainers 'Microsoft.DocumentDB/databaseAccounts/sqlDatabases/containers@2024-11-15' = [
  for c in containers: {
    parent: database
    name: c.name
    properties: {
      resource: {
        id: c.name
        partitionKey: {
          paths: c.partitionKeyPaths
          kind: length(c.partitionKeyPaths) > 1 ? 'MultiHash' : 'Hash'
          version: 2
        }
      }
      options: serverless ? {} : { autoscaleSettings: { maxThroughput: autoscaleMaxThroughput } }
    }
  }
]

output id string = account.id
output name string = account.name
output endpoint string = account.properties.documentEndpoint
output databaseName string = database.name
