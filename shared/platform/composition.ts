import os from 'node:os';
import path from 'node:path';
import { createAuthenticatorFromConfig } from './auth/authenticator';
import type { ApiKeyService } from './auth/apiKeyService';
import type { Authenticator } from './auth/authenticator';
import { ensureBootstrapAdminKey } from './auth/bootstrapAdminKey';
import { withPrincipalGuards } from './auth/principalGuards';
import { AzureBlobStore } from './blobs/azureBlobStore';
import { FileBlobStore } from './blobs/fileBlobStore';
import { adapterChoice, FactoryConfig, hostedInAzure, loadConfig } from './config';
import { RequestRateLimiter } from './http/rateLimit';
import type { RouteDeps } from './http/route';
import { EmbeddedMessaging } from './messaging/embeddedMessaging';
import { ServiceBusMessaging } from './messaging/serviceBusMessaging';
import { EventOutbox } from './eventOutbox';
import { eventSubscriberFactories, type EventSubscriberDeps } from './eventSubscribers';
import type { BlobStore, DocumentStore, HealthCheck, Messaging } from './ports';
import { CosmosDocumentStore } from './store/cosmosDocumentStore';
import type { OutboxSource } from './store/outboxDocument';
import { createTelemetry } from './telemetry/createTelemetry';
import type { Telemetry } from './telemetry/telemetry';

/** Everything the contexts run on, built once per process from validated configuration. */
export interface Platform {
  config: FactoryConfig;
  adapters: ReturnType<typeof adapterChoice>;
  dataDir: string;
  store: DocumentStore & OutboxSource;
  messaging: Messaging;
  blobs: BlobStore;
  telemetry: Telemetry;
  authenticator: Authenticator;
  apiKeys: ApiKeyService;
  outbox: EventOutbox;
  routeDeps: RouteDeps;
  health(): Promise<HealthCheck[]>;
}

let building: Promise<Platform> | undefined;

/** The process's platform, built on first use (function files register before it exists). */
export function getPlatform(): Promise<Platform> {
  building ??= buildPlatform().catch((error) => {
    building = undefined;
    throw error;
  });
  return building;
}

/** Route dependencies for `registerRoute`, resolved on the first request. */
export const platformRouteDeps = async (): Promise<RouteDeps> => (await getPlatform()).routeDeps;

async function buildPlatform(): Promise<Platform> {
  const config = loadConfig();
  const adapters = adapterChoice(config);
  // Locally the host's data dir; in Azure (no local host) the instance's temp storage, which only
  // the project repositories use (push them to FACTORY_GIT_REMOTE to keep them).
  const dataDir = path.resolve(config.FACTORY_DATA_DIR ?? process.env.FACTORY_HOST_DATA_DIR ?? path.join(os.tmpdir(), 'software-factory'));
  const telemetry = createTelemetry(config);

  const store = await openStore(config, dataDir);
  const messaging: Messaging = adapters.messaging === 'service-bus' ? ServiceBusMessaging.fromConfig(config) : new EmbeddedMessaging();
  const blobs: BlobStore = adapters.blobs === 'azure-blob' ? await AzureBlobStore.connect(config) : new FileBlobStore(dataDir);
  const { authenticator: credentials, apiKeys } = createAuthenticatorFromConfig(config, store);
  const authenticator = withPrincipalGuards(credentials, { store });
  await ensureBootstrapAdminKey(apiKeys, { configuredKey: config.FACTORY_ADMIN_KEY, mayPrint: !hostedInAzure() });
  // Subscribers (the audit trail, …) are registered by the function files that own them.
  const subscriberDeps: EventSubscriberDeps = { store, dataDir, config };
  const outbox = new EventOutbox(store, [], messaging, telemetry);
  const early = eventSubscriberFactories((factory) => void Promise.resolve(factory(subscriberDeps)).then((subscriber) => outbox.subscribe(subscriber)));
  for (const factory of early) outbox.subscribe(await factory(subscriberDeps));

  return {
    config,
    adapters,
    dataDir,
    store,
    messaging,
    blobs,
    telemetry,
    authenticator,
    apiKeys,
    outbox,
    routeDeps: { authenticator, telemetry, rateLimiter: new RequestRateLimiter({ tenantPerSecond: config.FACTORY_RATE_LIMIT_TENANT_RPS, principalPerSecond: config.FACTORY_RATE_LIMIT_PRINCIPAL_RPS, burstSeconds: config.FACTORY_RATE_LIMIT_BURST_SECONDS }) },
    health: () => Promise.all([store.check(), messaging.check(), blobs.check()]),
  };
}

/**
 * Cosmos (with a key, i.e. an emulator, it creates the database and containers; with the managed
 * identity infra/ owns them and data-plane RBAC could not create them) or SQLite, loaded only here so
 * that nothing on the Azure path loads the native better-sqlite3 module.
 */
export async function openStore(config: FactoryConfig, dataDir: string): Promise<DocumentStore & OutboxSource> {
  if (config.COSMOS_ENDPOINT) {
    const cosmos = new CosmosDocumentStore({ endpoint: config.COSMOS_ENDPOINT, database: config.COSMOS_DATABASE, key: config.COSMOS_KEY, managedIdentityClientId: config.AZURE_CLIENT_ID });
    if (config.COSMOS_KEY) await cosmos.ensure();
    return cosmos;
  }
  const { SqliteDocumentStore } = await import('./store/sqliteDocumentStore');
  return SqliteDocumentStore.open(dataDir);
}
