// Key Vault in RBAC mode (no access policies). The app identity gets Key Vault Secrets User
// (access.bicep) and reads secrets through Key Vault references. This template writes one secret, the
// bootstrap PlatformAdmin key (so that the app never has to generate and print one); operators add the
// others (factory-git-token).

@description('Vault name (3-24 characters, starts with a letter)')
@minLength(3)
@maxLength(24)
param name string

@description('Region')
param location string

@description('Tags')
param tags object = {}

@description('Purge protection (cannot be turned off once on; use it in production)')
param enablePurgeProtection bool = false

@description('Name of the secret that holds the bootstrap PlatformAdmin API key')
param adminKeySecretName string

@secure()
@description('The bootstrap PlatformAdmin API key')
param adminKey string

@description('Name of the secret that holds the audit chain key')
param auditKeySecretName string

@secure()
@description('The audit chain key (FACTORY_AUDIT_KEY)')
param auditKey string

resource vault 'Microsoft.KeyVault/vaults@2023-07-01' = {
  name: name
  location: location
  tags: tags
  properties: {
    tenantId: subscription().tenantId
    sku: {
      family: 'A'
      name: 'standard'
    }
    enableRbacAuthorization: true
    enableSoftDelete: true
    softDeleteRetentionInDays: 90
    // false is rejected once set; omit the property instead
    enablePurgeProtection: enablePurgeProtection ? true : null
    publicNetworkAccess: 'Enabled'
  }
}

resource adminKeySecret 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = {
  parent: vault
  name: adminKeySecretName
  properties: {
    value: adminKey
    contentType: 'Software Factory bootstrap PlatformAdmin API key (Authorization: Bearer <key>)'
  }
}

resource auditKeySecret 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = {
  parent: vault
  name: auditKeySecretName
  properties: {
    value: auditKey
    contentType: 'Software Factory audit chain key (FACTORY_AUDIT_KEY)'
  }
}

output id string = vault.id
output name string = vault.name
output uri string = vault.properties.vaultUri
