// Grants the app identity Cognitive Services OpenAI User on an existing Azure OpenAI account (deployed
// at the account's resource group, which may be in another subscription), and returns its endpoint.

@description('Name of the Azure OpenAI account (Microsoft.CognitiveServices/accounts) in this resource group')
param accountName string

@description('Principal id of the Function App identity')
param appPrincipalId string

// Cognitive Services OpenAI User: inference on every deployment of the account, no management rights.
var cognitiveServicesOpenAIUser = '5e0bd9bd-7b93-4f28-af87-19fc36ad61bd'

resource account 'Microsoft.CognitiveServices/accounts@2024-10-01' existing = {
  name: accountName
}

resource appOpenAI 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(account.id, appPrincipalId, cognitiveServicesOpenAIUser)
  scope: account
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', cognitiveServicesOpenAIUser)
    principalId: appPrincipalId
    principalType: 'ServicePrincipal'
  }
}

output endpoint string = account.properties.endpoint
