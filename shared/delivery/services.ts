import { getPlatform, type Platform } from '../platform/composition';
import { getGovernance, type Governance } from '../governance/service';
import { createRuntimeProvider, type RuntimeProvider } from '../runtime';
import { ProjectRepository } from '../skills/repository';
import { DeliveryStore } from './store';

/** What the delivery context runs on: the platform, its store, the runtime provider, repositories and governance. */
export interface DeliveryServices {
  platform: Platform;
  store: DeliveryStore;
  runtime: RuntimeProvider;
  governance: Governance;
  repository(tenantId: string, projectId: string): ProjectRepository;
}

let building: Promise<DeliveryServices> | undefined;

/** The process's delivery services, built once on first use. */
export function getDeliveryServices(): Promise<DeliveryServices> {
  building ??= build().catch((error) => {
    building = undefined;
    throw error;
  });
  return building;
}

async function build(): Promise<DeliveryServices> {
  const platform = await getPlatform();
  return {
    platform,
    store: new DeliveryStore(platform.store),
    runtime: createRuntimeProvider(platform.config, platform.dataDir),
    governance: await getGovernance(),
    repository: (tenantId, projectId) => new ProjectRepository(platform.dataDir, tenantId, projectId),
  };
}
