/**
 * The name limits of the places generated names end up, with where each generated name comes from.
 * Sources: Kubernetes "Object Names and IDs" (DNS-1123 labels, 63); Azure "Naming rules and
 * restrictions for Azure resources" (Container Apps 2-32, Service Bus namespace 6-50, subscription 1-50,
 * topic and queue 1-260, App Service plan 1-60); Cosmos DB service quotas (ids 255 characters);
 * PostgreSQL `NAMEDATALEN - 1` (63); Azure SQL `sysname` (128).
 */
export const NAME_TARGETS = {
  /** Service, container and label names of `shared/skills/k8s`: the module's kebab name plus a suffix. */
  kubernetesName: 63,
  /** `take('{module}-{environment}', 32)` in the Bicep of a Container App (microservice, worker, gateway). */
  containerAppName: 32,
  /** `plan-{module}-{environment}` in the Bicep of a Function App. */
  appServicePlanName: 60,
  /** `sb-{blueprint}-{environment}-{uniqueString}` (13 characters) when a module uses Service Bus. */
  serviceBusNamespace: 50,
  /** A consumer's subscription is named after the module (`notification-service`). */
  serviceBusSubscription: 50,
  /** A topic per event (`appointment-booked-v1`), a work queue per module (`{module}-work`). */
  serviceBusEntity: 260,
  /** The Cosmos database (module) and container (entity collection) ids. */
  cosmosId: 255,
  /** An artifact's path, `booking-service/src/entities/invoice-line.ts` (see shared/artifacts/schemas.ts). */
  artifactPath: 300,
  /** Column names for `infrastructure.database: postgresql` and `azure-sql`. */
  postgresqlIdentifier: 63,
  azureSqlIdentifier: 128,
} as const;

/** Suffixes `shared/skills/k8s` appends to a module's kebab name (`-environment`: the per-environment ConfigMap). */
export const KUBERNETES_NAME_SUFFIXES = ['', '-environment', '-servicebus'] as const;

/** Length of Bicep's `uniqueString()`, part of generated Azure names. */
export const BICEP_UNIQUE_STRING_LENGTH = 13;
