import type { ContainerApp, ContainerAppsAPIClient } from '@azure/arm-appcontainers';
import type { ResourceGraphClient } from '@azure/arm-resourcegraph';
import type { DesiredEnvironment, EnvironmentRef, LiveModule, ModuleApplyOutcome, RuntimeProvider } from '../port';
import { configHashOf } from '../port';
import { AZURE_TAG, containerAppName, toContainerApp, type AzureRuntimeSettings } from './containerAppSpec';

/** The two SDK surfaces the provider uses (injected: real clients in Azure, doubles in tests). */
export interface AzureRuntimeClients {
  containerApps: Pick<ContainerAppsAPIClient['containerApps'], 'beginCreateOrUpdateAndWait' | 'beginDeleteAndWait' | 'get'>;
  resourceGraph: Pick<ResourceGraphClient, 'resources'>;
}

interface GraphRow {
  name: string;
  tags?: Record<string, string>;
  properties?: { provisioningState?: string; runningStatus?: string; latestRevisionName?: string; latestReadyRevisionName?: string; latestRevisionFqdn?: string; template?: { scale?: { minReplicas?: number } } };
}

const quote = (value: string) => `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;

/** An app is ready when its latest revision is the ready one and it runs. */
const isReady = (p: GraphRow['properties']) => Boolean(p && p.provisioningState === 'Succeeded' && p.latestRevisionName && p.latestRevisionName === p.latestReadyRevisionName && (p.runningStatus ?? 'Running') === 'Running');

/**
 * Azure Container Apps: one app per module and environment (tagged tenant, project, environment,
 * module, release, version, configuration hash), updated in single-revision mode; a revision that
 * does not become ready is replaced by the app's previous definition (its previous revision). The
 * live state comes from Azure Resource Graph by those tags. Authentication is the managed identity
 * the clients were built with.
 */
export class AzureRuntimeProvider implements RuntimeProvider {
  readonly name = 'azure' as const;

  constructor(
    private readonly settings: AzureRuntimeSettings,
    private readonly clients: AzureRuntimeClients,
  ) {}

  async apply(desired: DesiredEnvironment): Promise<ModuleApplyOutcome[]> {
    const live = await this.query(desired);
    const outcomes: ModuleApplyOutcome[] = [];
    for (const module of desired.modules) {
      const name = containerAppName(desired.projectId, desired.environment, module.module);
      const row = live.find((r) => r.name === name);
      const hash = configHashOf(module.config, Object.keys(module.secrets));
      if (row && row.tags?.[AZURE_TAG.version] === module.version && row.tags?.[AZURE_TAG.configHash] === hash && row.properties?.template?.scale?.minReplicas === module.replicas && isReady(row.properties)) {
        outcomes.push({ module: module.module, status: 'unchanged', replicas: toReplicas(row) });
        continue;
      }
      outcomes.push(await this.update(name, toContainerApp(this.settings, desired, module), module.module));
    }
    const wanted = new Set(desired.modules.map((m) => containerAppName(desired.projectId, desired.environment, m.module)));
    for (const row of live.filter((r) => !wanted.has(r.name))) await this.clients.containerApps.beginDeleteAndWait(this.settings.resourceGroup, row.name);
    return outcomes;
  }

  private async update(name: string, app: ContainerApp, module: string): Promise<ModuleApplyOutcome> {
    const previous = await this.clients.containerApps.get(this.settings.resourceGroup, name).catch(() => undefined);
    let failure: string | undefined;
    try {
      const result = await this.clients.containerApps.beginCreateOrUpdateAndWait(this.settings.resourceGroup, name, app);
      if (isReady(result)) return { module, status: 'updated', replicas: toReplicas({ name, properties: { ...result, template: result.template } }) };
      failure = `revision ${result.latestRevisionName ?? '?'} is not ready (provisioning ${result.provisioningState ?? '?'}, running ${result.runningStatus ?? '?'})`;
    } catch (error) {
      failure = error instanceof Error ? error.message : String(error);
    }
    if (previous?.template) {
      const { provisioningState: _p, runningStatus: _r, latestRevisionName: _l, latestReadyRevisionName: _lr, latestRevisionFqdn: _f, ...definition } = previous as ContainerApp & Record<string, unknown>;
      await this.clients.containerApps.beginCreateOrUpdateAndWait(this.settings.resourceGroup, name, definition as ContainerApp);
    }
    return { module, status: 'failed', replicas: [], reason: failure };
  }

  async live(ref: EnvironmentRef): Promise<LiveModule[]> {
    return (await this.query(ref))
      .map((row) => ({
        module: row.tags?.[AZURE_TAG.module] ?? row.name,
        version: row.tags?.[AZURE_TAG.version],
        releaseId: row.tags?.[AZURE_TAG.release],
        configHash: row.tags?.[AZURE_TAG.configHash],
        replicas: toReplicas(row),
        ...(row.properties?.latestRevisionFqdn ? { endpoint: `https://${row.properties.latestRevisionFqdn}` } : {}),
      }))
      .sort((a, b) => a.module.localeCompare(b.module));
  }

  async teardown(ref: EnvironmentRef): Promise<number> {
    const rows = await this.query(ref);
    for (const row of rows) await this.clients.containerApps.beginDeleteAndWait(this.settings.resourceGroup, row.name);
    return rows.length;
  }

  /** The environment's container apps, by tags, through Resource Graph (every page). */
  private async query(ref: EnvironmentRef): Promise<GraphRow[]> {
    const query = [
      "resources | where type =~ 'microsoft.app/containerapps'",
      `| where tags[${quote(AZURE_TAG.tenant)}] == ${quote(ref.tenantId)} and tags[${quote(AZURE_TAG.project)}] == ${quote(ref.projectId)} and tags[${quote(AZURE_TAG.environment)}] == ${quote(ref.environment)}`,
      '| project name, tags, properties',
    ].join(' ');
    const rows: GraphRow[] = [];
    let skipToken: string | undefined;
    do {
      const page = await this.clients.resourceGraph.resources({ subscriptions: [this.settings.subscriptionId], query, options: { resultFormat: 'objectArray', ...(skipToken ? { skipToken } : {}) } });
      rows.push(...(page.data as GraphRow[]));
      skipToken = page.skipToken;
    } while (skipToken);
    return rows;
  }
}

/** Resource Graph reports the configured minimum, not live replicas: each is ready when the latest revision is. */
function toReplicas(row: GraphRow) {
  const count = row.properties?.template?.scale?.minReplicas ?? 0;
  const ready = isReady(row.properties);
  return Array.from({ length: count }, (_, i) => ({ id: `${row.properties?.latestRevisionName ?? row.name}/${i}`, ready, ...(row.properties?.latestRevisionFqdn ? { url: `https://${row.properties.latestRevisionFqdn}` } : {}) }));
}
