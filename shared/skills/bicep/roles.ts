/** Built-in Azure role definition ids the generated templates grant to a module's managed identity. */
export const AZURE_ROLES = {
  serviceBusDataSender: '69a216fc-b8fb-44d8-bc22-1f3c2cd27a39',
  serviceBusDataReceiver: '4f6d3b9b-027b-4f4c-9142-0e5a2a2247e0',
  storageBlobDataOwner: 'b7e6dc6d-f1e8-4753-8033-0f276bb0955b',
  /** AcrPull: the Container App pulls its image with the module identity, no registry password. */
  acrPull: '7f951dda-4ed3-4680-a7ca-43fe172d538d',
  /** Cosmos DB Built-in Data Contributor: a data-plane (SQL) role, assigned on the account. */
  cosmosDataContributor: '00000000-0000-0000-0000-000000000002',
} as const;

/** A role assignment of the module identity on a resource (by its symbolic name). */
export function roleAssignment(symbol: string, scope: string, roleId: string, purpose: string): string {
  return `resource ${symbol} 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(${scope}.id, identity.id, '${purpose}')
  scope: ${scope}
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', '${roleId}')
    principalId: identity.properties.principalId
    principalType: 'ServicePrincipal'
  }
}`;
}
