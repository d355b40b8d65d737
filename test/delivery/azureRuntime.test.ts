import type { ContainerApp } from '@azure/arm-appcontainers';
import { AzureRuntimeProvider, type AzureRuntimeClients } from '../../shared/runtime/azure/azureRuntime';
import { AZURE_TAG, containerAppName } from '../../shared/runtime/azure/containerAppSpec';
import { runtimeContract } from './runtimeContract';

/**
 * The Container Apps and Resource Graph SDK boundary, played in memory the way ARM behaves: a PUT
 * makes a new revision, ready unless its image is `…:broken` (the service exits at start); Resource
 * Graph answers the tag filters of the query it is sent.
 */
class ArmDouble implements AzureRuntimeClients {
  readonly apps = new Map<string, ContainerApp & { name: string }>();
  readonly calls: { op: string; name: string; app?: ContainerApp }[] = [];
  readonly queries: string[] = [];
  private revision = 0;

  containerApps: AzureRuntimeClients['containerApps'] = {
    beginCreateOrUpdateAndWait: async (resourceGroup, name, app) => {
      expect(resourceGroup).toBe('rg-apps');
      this.calls.push({ op: 'put', name, app });
      const revision = `${name}--r${++this.revision}`;
      const broken = app.template?.containers?.some((c) => c.image?.endsWith(':broken'));
      const stored = { ...app, name, provisioningState: 'Succeeded', runningStatus: broken ? 'Degraded' : 'Running', latestRevisionName: revision, latestReadyRevisionName: broken ? this.apps.get(name)?.latestReadyRevisionName : revision, latestRevisionFqdn: `${revision}.internal.example.net` } as ContainerApp & { name: string };
      this.apps.set(name, stored);
      return stored;
    },
    beginDeleteAndWait: async (_rg, name) => {
      this.calls.push({ op: 'delete', name });
      this.apps.delete(name);
    },
    get: async (_rg, name) => {
      const app = this.apps.get(name);
      if (!app) throw Object.assign(new Error('ResourceNotFound'), { statusCode: 404 });
      return app;
    },
  };

  resourceGraph = {
    resources: async (request: { query: string; subscriptions?: string[] }) => {
      this.queries.push(request.query);
      expect(request.subscriptions).toEqual(['sub-1']);
      const filters = [...request.query.matchAll(/tags\['([^']+)'\] == '([^']+)'/g)].map((m) => [m[1], m[2]] as const);
      const data = [...this.apps.values()]
        .filter((app) => filters.every(([tag, value]) => app.tags?.[tag] === value))
        .map((app) => ({ name: app.name, tags: app.tags, properties: { provisioningState: app.provisioningState, runningStatus: app.runningStatus, latestRevisionName: app.latestRevisionName, latestReadyRevisionName: app.latestReadyRevisionName, latestRevisionFqdn: app.latestRevisionFqdn, template: app.template } }));
      return { data, totalRecords: data.length, count: data.length, resultTruncated: 'false' as const, facets: [] };
    },
  } as unknown as AzureRuntimeClients['resourceGraph'];
}

const settings = {
  subscriptionId: 'sub-1',
  resourceGroup: 'rg-apps',
  location: 'swedencentral',
  managedEnvironmentId: '/subscriptions/sub-1/resourceGroups/rg-apps/providers/Microsoft.App/managedEnvironments/cae-factory',
  identityId: '/subscriptions/sub-1/resourceGroups/rg-apps/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id-factory',
  registryServer: 'acrfactory.azurecr.io',
};

let arm: ArmDouble;
runtimeContract('azure (Container Apps + Resource Graph at the SDK boundary)', async () => {
  arm = new ArmDouble();
  return {
    provider: new AzureRuntimeProvider(settings, arm),
    module: (name, version, replicas, config = {}) => ({ module: name, kind: 'microservice', version: `0.1.0+${version}`, commit: 'c'.repeat(40), artifactHash: version, replicas, config, secrets: {}, image: `acrfactory.azurecr.io/p1-${name.toLowerCase()}:${version}` }),
    cleanup: async () => undefined,
  };
});

describe('azure runtime provider: what it sends to Azure', () => {
  it('tags each app, pulls with the managed identity, binds secrets as Key Vault references and probes /health/ready', async () => {
    const double = new ArmDouble();
    const provider = new AzureRuntimeProvider(settings, double);
    await provider.apply({
      tenantId: 't1',
      projectId: 'vetclinic',
      environment: 'production',
      releaseId: 'rel-1',
      modules: [{ module: 'BookingService', kind: 'microservice', version: '0.1.0+abc', commit: 'c'.repeat(40), artifactHash: 'abc', replicas: 2, config: { LOG_LEVEL: 'info' }, secrets: { DB_PASSWORD: 'https://kv-factory.vault.azure.net/secrets/db-password' }, image: 'acrfactory.azurecr.io/booking-service:abc', traceId: '0af7651916cd43dd8448eb211c80319c' }],
    });
    const put = double.calls.find((c) => c.op === 'put')!;
    expect(put.name).toBe(containerAppName('vetclinic', 'production', 'BookingService'));
    expect(put.name.length).toBeLessThanOrEqual(32);
    expect(put.app!.tags).toMatchObject({ [AZURE_TAG.tenant]: 't1', [AZURE_TAG.project]: 'vetclinic', [AZURE_TAG.module]: 'BookingService', [AZURE_TAG.release]: 'rel-1', [AZURE_TAG.version]: '0.1.0+abc' });
    expect(put.app!.identity).toEqual({ type: 'UserAssigned', userAssignedIdentities: { [settings.identityId]: {} } });
    expect(put.app!.configuration!.registries).toEqual([{ server: 'acrfactory.azurecr.io', identity: settings.identityId }]);
    expect(put.app!.configuration!.secrets).toEqual([{ name: 'db-password', keyVaultUrl: 'https://kv-factory.vault.azure.net/secrets/db-password', identity: settings.identityId }]);
    expect(JSON.stringify(put.app)).not.toMatch(/password"\s*:\s*"[^h]/i);
    const container = put.app!.template!.containers![0];
    expect(container.env).toEqual(expect.arrayContaining([{ name: 'DB_PASSWORD', secretRef: 'db-password' }, { name: 'LOG_LEVEL', value: 'info' }]));
    expect(container.probes).toEqual(expect.arrayContaining([expect.objectContaining({ type: 'Readiness', httpGet: { path: '/health/ready', port: 8080 } })]));
    expect(put.app!.template!.scale).toMatchObject({ minReplicas: 2 });
    expect(double.queries[0]).toContain("tags['factory-environment'] == 'production'");
  });

  it('shortens long names to the Container Apps limit, stably', () => {
    const name = containerAppName('a-very-long-project-name', 'production', 'ExtraordinarilyLongNotificationService');
    expect(name.length).toBeLessThanOrEqual(32);
    expect(name).toMatch(/^[a-z0-9-]+$/);
    expect(containerAppName('a-very-long-project-name', 'production', 'ExtraordinarilyLongNotificationService')).toBe(name);
  });
});
