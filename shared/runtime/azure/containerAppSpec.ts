import { createHash } from 'node:crypto';
import type { ContainerApp } from '@azure/arm-appcontainers';
import { configHashOf, type DesiredEnvironment, type ModuleDeployment } from '../port';

/** Tag names on every container app the factory deploys (Resource Graph finds apps by them). */
export const AZURE_TAG = {
  tenant: 'factory-tenant',
  project: 'factory-project',
  environment: 'factory-environment',
  module: 'factory-module',
  release: 'factory-release',
  version: 'factory-version',
  configHash: 'factory-config-hash',
  trace: 'factory-trace-id',
} as const;

/** Where the factory deploys in Azure: one Container Apps environment, pulled and read with one managed identity. */
export interface AzureRuntimeSettings {
  subscriptionId: string;
  resourceGroup: string;
  location: string;
  /** Resource id of the Container Apps managed environment. */
  managedEnvironmentId: string;
  /** Resource id of the user-assigned managed identity (registry pull, Key Vault secrets). */
  identityId: string;
  /** The container registry's login server, e.g. `acrfactory.azurecr.io`. */
  registryServer: string;
}

/** The port every generated service listens on in a container (`PORT`). */
export const CONTAINER_PORT = 8080;

/**
 * The container app name of a module in an environment: lowercase letters, digits and dashes, at
 * most 32 characters (the Container Apps limit), shortened with a hash when needed.
 */
export function containerAppName(projectId: string, environment: string, module: string): string {
  const kebab = (s: string) => s.replace(/([a-z0-9])([A-Z])/g, '$1-$2').toLowerCase().replace(/[^a-z0-9-]+/g, '-');
  const full = `${kebab(projectId)}-${kebab(environment)}-${kebab(module)}`.replace(/-+/g, '-').replace(/^-|-$/g, '');
  if (full.length <= 32) return full;
  const hash = createHash('sha256').update(full).digest('hex').slice(0, 6);
  return `${full.slice(0, 25).replace(/-$/, '')}-${hash}`;
}

/** Secret names in Container Apps: lowercase alphanumerics and dashes. */
const secretName = (variable: string) => variable.toLowerCase().replace(/[^a-z0-9]+/g, '-');

/**
 * The container app of one module: its image, the environment's configuration as variables, secret
 * bindings as Key Vault references read with the managed identity (no secret values pass through
 * the factory), readiness and liveness probes, `replicas` as the minimum scale, the tags the drift
 * scan reads, single-revision mode (a new revision replaces the old once ready).
 */
export function toContainerApp(settings: AzureRuntimeSettings, desired: DesiredEnvironment, module: ModuleDeployment): ContainerApp {
  if (!module.image) throw new Error(`${module.module}: the azure provider needs the image the pipeline pushed.`);
  const name = containerAppName(desired.projectId, desired.environment, module.module);
  return {
    location: settings.location,
    identity: { type: 'UserAssigned', userAssignedIdentities: { [settings.identityId]: {} } },
    managedEnvironmentId: settings.managedEnvironmentId,
    tags: {
      [AZURE_TAG.tenant]: desired.tenantId,
      [AZURE_TAG.project]: desired.projectId,
      [AZURE_TAG.environment]: desired.environment,
      [AZURE_TAG.module]: module.module,
      [AZURE_TAG.release]: desired.releaseId,
      [AZURE_TAG.version]: module.version,
      [AZURE_TAG.configHash]: configHashOf(module.config, Object.keys(module.secrets)),
      ...(module.traceId ? { [AZURE_TAG.trace]: module.traceId } : {}),
    },
    configuration: {
      activeRevisionsMode: 'Single',
      ingress: module.kind === 'worker' ? undefined : { external: false, targetPort: CONTAINER_PORT, transport: 'auto' },
      registries: [{ server: settings.registryServer, identity: settings.identityId }],
      secrets: Object.entries(module.secrets).map(([variable, keyVaultUrl]) => ({ name: secretName(variable), keyVaultUrl, identity: settings.identityId })),
    },
    template: {
      containers: [
        {
          name: name.slice(0, 32),
          image: module.image,
          env: [
            ...Object.entries(module.config).map(([key, value]) => ({ name: key, value })),
            ...Object.keys(module.secrets).map((variable) => ({ name: variable, secretRef: secretName(variable) })),
            { name: 'PORT', value: String(CONTAINER_PORT) },
            { name: 'HOST', value: '0.0.0.0' },
            { name: 'SERVICE_VERSION', value: module.version },
            { name: 'TENANT_ID', value: desired.tenantId },
            { name: 'PROJECT_ID', value: desired.projectId },
          ],
          probes: [
            { type: 'Readiness', httpGet: { path: '/health/ready', port: CONTAINER_PORT } },
            { type: 'Liveness', httpGet: { path: '/health/live', port: CONTAINER_PORT } },
          ],
        },
      ],
      scale: { minReplicas: module.replicas, maxReplicas: Math.max(module.replicas, 1) * 2 },
    },
  };
}
