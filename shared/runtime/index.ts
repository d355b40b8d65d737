import path from 'node:path';
import { ContainerAppsAPIClient } from '@azure/arm-appcontainers';
import { ResourceGraphClient } from '@azure/arm-resourcegraph';
import { ManagedIdentityCredential } from '@azure/identity';
import type { FactoryConfig } from '../platform/config';
import { AzureRuntimeProvider } from './azure/azureRuntime';
import { LocalRuntimeProvider } from './local/localRuntime';
import type { RuntimeProvider } from './port';

export type { DesiredEnvironment, EnvironmentRef, LiveModule, LiveReplica, ModuleApplyOutcome, ModuleDeployment, RuntimeProvider } from './port';
export { configHashOf } from './port';
export { LocalRuntimeProvider } from './local/localRuntime';
export { AzureRuntimeProvider } from './azure/azureRuntime';

/**
 * The runtime provider the configuration selects: `azure` (Container Apps, managed identity only)
 * when FACTORY_CONTAINERAPPS_ENVIRONMENT_ID is set, else `local` processes under `<dataDir>/runtime`.
 */
export function createRuntimeProvider(config: FactoryConfig, dataDir: string): RuntimeProvider {
  const environmentId = config.FACTORY_CONTAINERAPPS_ENVIRONMENT_ID;
  if (!environmentId) return new LocalRuntimeProvider(path.join(dataDir, 'runtime'));
  const [, subscriptionId, resourceGroup] = /^\/subscriptions\/([^/]+)\/resourceGroups\/([^/]+)\//i.exec(environmentId)!;
  const credential = new ManagedIdentityCredential(config.AZURE_CLIENT_ID ? { clientId: config.AZURE_CLIENT_ID } : {});
  return new AzureRuntimeProvider(
    { subscriptionId, resourceGroup, location: config.FACTORY_CONTAINERAPPS_LOCATION!, managedEnvironmentId: environmentId, identityId: config.FACTORY_RUNTIME_IDENTITY_ID!, registryServer: config.FACTORY_CONTAINER_REGISTRY! },
    { containerApps: new ContainerAppsAPIClient(credential, subscriptionId).containerApps, resourceGraph: new ResourceGraphClient(credential) },
  );
}
