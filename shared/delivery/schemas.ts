import { z } from 'zod';
import { roleSchema } from '../platform/auth/roles';
import { idSchema, projectParams } from '../platform/http/tenantParams';
import type { StoredDocument } from '../platform/ports';

/** Container of the delivery context: partition `/tenantId` + `/projectId`. */
export const DELIVERY_CONTAINER = 'delivery' as const;

export const environmentNameSchema = z.enum(['dev', 'staging', 'production']);
export const environmentParams = projectParams.extend({ environment: environmentNameSchema });
export const releaseParams = projectParams.extend({ releaseId: idSchema });
export const pageQuery = z.object({ limit: z.coerce.number().int().min(1).max(100).default(25), continuation: z.string().min(1).optional() });

const variableName = z.string().regex(/^[A-Z_][A-Z0-9_]{0,99}$/, 'an environment variable name (A-Z, 0-9, _)');
/** Variables the runtime sets itself; configuration may not override them. */
export const RESERVED_VARIABLES = ['PORT', 'HOST', 'SERVICE_VERSION', 'STORE', 'SQLITE_PATH', 'BROKER', 'BROKER_URL', 'BROKER_KEY', 'TENANT_ID', 'PROJECT_ID', 'PATH', 'NODE_ENV', 'TRACEPARENT', 'OTEL_RESOURCE_ATTRIBUTES'];
/**
 * Prefixes no configuration may set: the factory's own settings, and variables that make the Node
 * runtime, the dynamic linker or npm load other code (`NODE_OPTIONS`, `NODE_EXTRA_CA_CERTS`,
 * `LD_PRELOAD`, `LD_LIBRARY_PATH`, `DYLD_INSERT_LIBRARIES`, `NPM_CONFIG_*`) — a ReleaseManager sets
 * configuration, and must not be able to run code in the factory's processes with it.
 */
export const RESERVED_PREFIXES = ['FACTORY_', 'NODE_', 'LD_', 'DYLD_', 'NPM_CONFIG_', 'BROKER_'];
const reservedReason = (key: string): string | undefined =>
  RESERVED_VARIABLES.includes(key) ? `${key} is set by the runtime` : RESERVED_PREFIXES.find((prefix) => key.startsWith(prefix)) ? `${key}: variables starting with ${RESERVED_PREFIXES.find((prefix) => key.startsWith(prefix))} cannot be set (${RESERVED_PREFIXES.join(', ')} are reserved)` : undefined;
/** Every reserved key of a variables record, each an issue at its own path. */
const noReservedKeys = (record: Record<string, unknown>, ctx: z.RefinementCtx) => {
  for (const key of Object.keys(record)) {
    const reason = reservedReason(key);
    if (reason) ctx.addIssue({ code: 'custom', path: [key], message: reason });
  }
};

/** A secret binding: locally the value of a variable of the factory's own environment, in Azure a Key Vault secret. */
export const secretBindingSchema = z
  .strictObject({
    fromEnv: variableName
      .refine((name) => !name.startsWith('FACTORY_'), "the factory's own settings (FACTORY_*) cannot be bound")
      .optional()
      .describe("Local runtime: the factory process's environment variable holding the value, one the operator shared with the tenant (FACTORY_TENANT_SECRETS)"),
    keyVaultSecretUri: z.url().optional().describe('Azure runtime: the Key Vault secret the container app reads with its managed identity'),
  })
  .refine((b) => b.fromEnv || b.keyVaultSecretUri, 'fromEnv or keyVaultSecretUri');

/** Body of `PUT .../environments/{environment}`: the environment's bindings and policy. */
export const environmentBody = z
  .strictObject({
    config: z.record(variableName, z.string().max(4000)).superRefine(noReservedKeys).default({}),
    secrets: z.record(variableName, secretBindingSchema).superRefine(noReservedKeys).default({}),
    selfHeal: z.boolean().optional().describe('Drift is remediated without approval; default true except production'),
    replicas: z.record(z.string().min(1).max(100), z.int().min(1).max(20)).default({}).describe('Replica count per module, over the blueprint minimum'),
  })
  .meta({ id: 'EnvironmentBindings' });

export interface EnvironmentDocument extends StoredDocument {
  type: 'environment';
  name: string;
  config: Record<string, string>;
  secrets: Record<string, { fromEnv?: string; keyVaultSecretUri?: string }>;
  selfHeal: boolean;
  replicas: Record<string, number>;
  updatedAt: string;
  updatedBy: string;
}

/** One module of a release: its code (folder at the commit), version, artifact hash, scale and contract. */
export const manifestModuleSchema = z.object({
  name: z.string(),
  kind: z.string(),
  folder: z.string(),
  version: z.string().describe('<release version>+<artifact hash 12>'),
  artifactHash: z.string().describe('git tree id of the module folder at the commit'),
  replicas: z.int().min(1),
  contract: z.string().optional().describe('Path of the OpenAPI contract the smoke call follows'),
});

export const releaseManifestView = z.object({
  commit: z.string(),
  blueprintVersion: z.int(),
  modules: z.array(manifestModuleSchema),
  environments: z.array(z.object({ name: environmentNameSchema, order: z.int(), approvals: z.array(roleSchema) })),
});
export type DeliveryManifest = z.infer<typeof releaseManifestView>;

export const RELEASE_STATUSES = ['Running', 'Succeeded', 'Failed', 'Rejected'] as const;
export interface ReleaseDocument extends StoredDocument {
  type: 'release';
  releaseId: string;
  version: string;
  manifest: DeliveryManifest;
  status: (typeof RELEASE_STATUSES)[number];
  environment?: string;
  failure?: string;
  traceId: string;
  createdBy: string;
  createdAt: string;
  finishedAt?: string;
  instanceId: string;
}

export const PROMOTION_PHASES = ['Pending', 'WaitingForApproval', 'Deploying', 'Verifying', 'Succeeded', 'Failed', 'RolledBack', 'Rejected'] as const;
export const promotionStepSchema = z.object({
  name: z.string(),
  status: z.enum(['running', 'succeeded', 'failed', 'skipped']),
  output: z.string().optional(),
  startedAt: z.string(),
  finishedAt: z.string().optional(),
});
export type PromotionStep = z.infer<typeof promotionStepSchema>;

export interface PromotionDocument extends StoredDocument {
  type: 'promotion';
  promotionId: string;
  releaseId: string;
  environment: string;
  phase: (typeof PROMOTION_PHASES)[number];
  steps: PromotionStep[];
  policyDecisionId?: string;
  approval?: { approvalId: string; roles: string[]; outcome?: string; decidedBy?: string };
  reason?: string;
  traceId: string;
  startedAt: string;
  finishedAt?: string;
}

export const promotionView = z
  .object({
    promotionId: z.string(),
    releaseId: z.string(),
    environment: z.string(),
    phase: z.enum(PROMOTION_PHASES),
    steps: z.array(promotionStepSchema),
    policyDecisionId: z.string().optional(),
    approval: z.object({ approvalId: z.string(), roles: z.array(z.string()), outcome: z.string().optional(), decidedBy: z.string().optional() }).optional(),
    reason: z.string().optional(),
    traceId: z.string(),
    startedAt: z.string(),
    finishedAt: z.string().optional(),
  })
  .meta({ id: 'Promotion' });

export const releaseView = z
  .object({
    releaseId: z.string(),
    version: z.string(),
    status: z.enum(RELEASE_STATUSES),
    environment: z.string().optional().describe('The environment being promoted, or the last one reached'),
    failure: z.string().optional(),
    manifest: releaseManifestView,
    traceId: z.string(),
    createdBy: z.string(),
    createdAt: z.string(),
    finishedAt: z.string().optional(),
    promotions: z.array(promotionView).optional(),
  })
  .meta({ id: 'Release' });

export const DEPLOYMENT_KINDS = ['release', 'rollback', 'remediation'] as const;
export interface DeploymentDocument extends StoredDocument {
  type: 'deployment';
  deploymentId: string;
  environment: string;
  module: string;
  releaseId: string;
  kind: (typeof DEPLOYMENT_KINDS)[number];
  version: string;
  configHash: string;
  replicas: number;
  status: 'Succeeded' | 'Failed' | 'RolledBack';
  reason?: string;
  endpoints: string[];
  finishedAt: string;
  traceId: string;
}

export const deploymentView = z
  .object({
    deploymentId: z.string(),
    environment: z.string(),
    module: z.string(),
    releaseId: z.string(),
    kind: z.enum(DEPLOYMENT_KINDS),
    version: z.string(),
    configHash: z.string(),
    replicas: z.int(),
    status: z.enum(['Succeeded', 'Failed', 'RolledBack']),
    reason: z.string().optional(),
    endpoints: z.array(z.string()),
    finishedAt: z.string(),
    traceId: z.string(),
  })
  .meta({ id: 'Deployment' });

/** The modules an environment should run: what its last successful promotion (or rollback) applied. */
export interface DesiredStateDocument extends StoredDocument {
  type: 'desiredState';
  environment: string;
  releaseId: string;
  commit: string;
  modules: { name: string; kind: string; folder: string; version: string; artifactHash: string; replicas: number; configHash: string; contract?: string }[];
  /** The environment's bindings this state was applied with (secret bindings, never values): what rollback and remediation re-apply. */
  bindings?: EnvironmentBindings;
  /** Set by `POST …/environments/{env}/stop`: nothing is desired here until the next release (drift then reports running replicas as unexpected). */
  stoppedAt?: string;
  stoppedBy?: string;
  updatedAt: string;
}

/** Configuration and secret bindings of an environment at one deployment. */
export type EnvironmentBindings = Pick<EnvironmentDocument, 'config' | 'secrets'>;

export const DRIFT_KINDS = ['missing', 'unexpected', 'version', 'config', 'replica', 'unhealthy'] as const;
export type DriftKind = (typeof DRIFT_KINDS)[number];

export interface DriftFindingDocument extends StoredDocument {
  type: 'driftFinding';
  findingId: string;
  environment: string;
  module: string;
  kind: DriftKind;
  expected: unknown;
  actual: unknown;
  status: 'open' | 'resolved';
  detectedAt: string;
  lastSeenAt: string;
  resolvedAt?: string;
  /** W3C trace id of the scan that found it (a request's, or the `driftScan` timer sweep's). */
  traceId?: string;
  /** W3C trace id of the scan that found it resolved. */
  resolvedTraceId?: string;
}

export const driftFindingView = z
  .object({
    findingId: z.string(),
    environment: z.string(),
    module: z.string(),
    kind: z.enum(DRIFT_KINDS),
    expected: z.unknown(),
    actual: z.unknown(),
    status: z.enum(['open', 'resolved']),
    detectedAt: z.string(),
    lastSeenAt: z.string(),
    resolvedAt: z.string().optional(),
    traceId: z.string().optional().describe('W3C trace id of the scan that found it'),
    resolvedTraceId: z.string().optional().describe('W3C trace id of the scan that found it resolved'),
  })
  .meta({ id: 'DriftFinding' });

export const liveModuleView = z
  .object({
    module: z.string(),
    version: z.string().optional(),
    releaseId: z.string().optional(),
    configHash: z.string().optional(),
    endpoint: z.string().optional(),
    replicas: z.array(z.object({ id: z.string(), pid: z.int().optional(), port: z.int().optional(), url: z.string().optional(), ready: z.boolean(), version: z.string().optional(), configHash: z.string().optional() })),
  })
  .meta({ id: 'LiveModule' });

export const environmentView = z
  .object({
    name: environmentNameSchema,
    order: z.int(),
    config: z.record(z.string(), z.string()),
    secrets: z.record(z.string(), z.object({ fromEnv: z.string().optional(), keyVaultSecretUri: z.string().optional() })),
    selfHeal: z.boolean(),
    replicas: z.record(z.string(), z.int()),
    provider: z.string(),
    desired: z.object({ releaseId: z.string(), commit: z.string(), modules: z.array(z.object({ name: z.string(), version: z.string(), replicas: z.int(), configHash: z.string() })), stoppedAt: z.string().optional().describe('Set when the environment was stopped: nothing runs here until the next release') }).optional(),
    live: z.array(liveModuleView).optional(),
  })
  .meta({ id: 'Environment' });

export const createReleaseBody = z
  .strictObject({
    ref: z.string().min(1).max(200).default('main').describe('Branch, tag or commit id to release (default main)'),
    environments: z.array(environmentNameSchema).min(1).optional().describe("Default: the blueprint's environments in order"),
  })
  .meta({ id: 'NewRelease' });

/** Body of `POST …/releases/{releaseId}/promotions`: the next environment of a finished release. */
export const promoteReleaseBody = z.strictObject({ environment: environmentNameSchema.describe('The environment after the furthest one the release reached') }).meta({ id: 'PromoteRelease' });
