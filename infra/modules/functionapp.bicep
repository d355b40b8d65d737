// The Function App on Flex Consumption (plan FC1, Linux, Node.js). It runs as the user-assigned
// identity; every connection is identity-based (no keys, no connection strings with secrets).

@description('Function App name')
param name string

@description('Flex Consumption plan name')
param planName string

@description('Region (must offer Flex Consumption)')
param location string

@description('Tags')
param tags object = {}

@description('azd service name (azure.yaml) this app is deployed as')
param serviceName string = 'api'

@description('Resource id of the user-assigned identity')
param identityId string

@description('Client id of the user-assigned identity')
param identityClientId string

@description('Storage account for AzureWebJobsStorage and the deployment package')
param storageAccountName string

@description('Blob container that holds the deployment package')
param deploymentContainerName string

@description('Service Bus namespace host name, for the trigger connection')
param serviceBusFullyQualifiedNamespace string

@description('The app settings the code reads (shared/platform/config.ts), merged over the runtime settings')
param appSettings object

@description('Node.js major version')
@allowed([
  '20'
  '22'
])
param nodeVersion string = '20'

@description('Most instances the app scales out to')
@minValue(40)
@maxValue(1000)
param maximumInstanceCount int = 100

@description('Memory per instance')
@allowed([
  512
  2048
  4096
])
param instanceMemoryMB int = 2048

resource storage 'Microsoft.Storage/storageAccounts@2023-05-01' existing = {
  name: storageAccountName
}

resource plan 'Microsoft.Web/serverfarms@2024-04-01' = {
  name: planName
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
}

// Settings the Functions runtime and its extensions read. `<connection>__credential` +
// `<connection>__clientId` make the host use the user-assigned identity.
var runtimeSettings = {
  AzureWebJobsStorage__accountName: storage.name
  AzureWebJobsStorage__credential: 'managedidentity'
  AzureWebJobsStorage__clientId: identityClientId
  ServiceBusConnection__fullyQualifiedNamespace: serviceBusFullyQualifiedNamespace
  ServiceBusConnection__credential: 'managedidentity'
  ServiceBusConnection__clientId: identityClientId
  APPLICATIONINSIGHTS_AUTHENTICATION_STRING: 'ClientId=${identityClientId};Authorization=AAD'
}

resource site 'Microsoft.Web/sites@2024-04-01' = {
  name: name
  location: location
  tags: union(tags, { 'azd-service-name': serviceName })
  kind: 'functionapp,linux'
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: {
      '${identityId}': {}
    }
  }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    // Key Vault references resolve with the system-assigned identity unless told otherwise; this site
    // has only the user-assigned one (which holds Key Vault Secrets User).
    keyVaultReferenceIdentity: identityId
    siteConfig: {
      minTlsVersion: '1.2'
    }
    functionAppConfig: {
      deployment: {
        storage: {
          type: 'blobContainer'
          value: '${storage.properties.primaryEndpoints.blob}${deploymentContainerName}'
          authentication: {
            type: 'UserAssignedIdentity'
            userAssignedIdentityResourceId: identityId
          }
        }
      }
      scaleAndConcurrency: {
        maximumInstanceCount: maximumInstanceCount
        instanceMemoryMB: instanceMemoryMB
      }
      runtime: {
        name: 'node'
        version: nodeVersion
      }
    }
  }

  // Flex Consumption takes the runtime from functionAppConfig: FUNCTIONS_WORKER_RUNTIME and
  // FUNCTIONS_EXTENSION_VERSION are not app settings there.
  resource settings 'config' = {
    name: 'appsettings'
    properties: union(runtimeSettings, appSettings)
  }
}

output id string = site.id
output name string = site.name
output uri string = 'https://${site.properties.defaultHostName}'
