// Log Analytics workspace and a workspace-based Application Insights component.

@description('Log Analytics workspace name')
param logAnalyticsName string

@description('Application Insights component name')
param appInsightsName string

@description('Region')
param location string

@description('Tags')
param tags object = {}

@description('Days Log Analytics keeps data')
@minValue(30)
@maxValue(730)
param retentionInDays int = 30

resource workspace 'Microsoft.OperationalInsights/workspaces@2023-09-01' = {
  name: logAnalyticsName
  location: location
  tags: tags
  properties: {
    sku: {
      name: 'PerGB2018'
    }
    retentionInDays: retentionInDays
  }
}

resource appInsights 'Microsoft.Insights/components@2020-02-02' = {
  name: appInsightsName
  location: location
  tags: tags
  kind: 'web'
  properties: {
    Application_Type: 'web'
    WorkspaceResourceId: workspace.id
    // Entra ID only: the connection string alone cannot write telemetry. The Functions host authenticates
    // with APPLICATIONINSIGHTS_AUTHENTICATION_STRING, the app's `applicationinsights` exporter with the
    // managed identity (shared/platform/telemetry/createTelemetry.ts); both need the Monitoring Metrics
    // Publisher role (access.bicep).
    DisableLocalAuth: true
  }
}

output workspaceId string = workspace.id
output appInsightsName string = appInsights.name
output appInsightsId string = appInsights.id
// An Application Insights connection string carries the instrumentation key, which is an identifier, not a secret.
output connectionString string = appInsights.properties.ConnectionString
