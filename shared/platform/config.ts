import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import { DEFAULT_RATE_LIMITS } from './http/rateLimit';

/** A setting whose text is JSON, checked against `schema` ("not valid JSON" when it does not parse). */
function jsonSetting<T extends z.ZodType>(schema: T) {
  return z
    .string()
    .transform((text, ctx) => {
      try {
        return JSON.parse(text) as unknown;
      } catch {
        ctx.addIssue({ code: 'custom', message: 'not valid JSON' });
        return z.NEVER;
      }
    })
    .pipe(schema);
}

/** `FACTORY_TENANT_SECRETS`: tenant id → names of the factory process's variables that tenant may bind. */
const tenantSecretsSetting = jsonSetting(z.record(z.string().min(1), z.array(z.string().regex(/^[A-Z_][A-Z0-9_]{0,99}$/))));

/** `FACTORY_PRICE_TABLE`: a JSON object of model prices (the costs context merges it over its defaults). */
const priceTableSetting = jsonSetting(
  z.record(
    z.string().min(1),
    z.strictObject({ inputUsdPer1K: z.number().nonnegative(), outputUsdPer1K: z.number().nonnegative(), computeUsdPerSecond: z.number().nonnegative().optional() }),
  ),
);

/**
 * Every setting the factory reads, validated once at start. Locally nothing is required: the
 * embedded adapters are used. Setting the Azure values switches each port to its Azure adapter.
 */
export const configSchema = z
  .object({
    FACTORY_DATA_DIR: z.string().min(1).optional().describe('Local data dir (SQLite, blobs); defaults to the local host data dir'),
    FACTORY_ADMIN_KEY: z.string().min(24).optional().describe('Bootstrap PlatformAdmin API key. Locally generated and printed at first start when unset; required in Azure, where it is a Key Vault reference to secret `factory-admin-key`'),
    COSMOS_ENDPOINT: z.url().optional().describe('Cosmos DB account endpoint; selects the Cosmos store'),
    COSMOS_KEY: z.string().min(1).optional().describe('Cosmos key (emulators only); managed identity otherwise'),
    COSMOS_DATABASE: z.string().min(1).default('factory').describe('Cosmos database name'),
    SERVICEBUS_NAMESPACE: z.string().regex(/^[\w-]+\.servicebus\.windows\.net$/, 'a fully qualified namespace such as sb-factory.servicebus.windows.net').optional().describe('Service Bus namespace host name; selects the Service Bus adapter'),
    BLOB_ACCOUNT_URL: z.url().optional().describe('Blob service URL; selects the Blob adapter (managed identity)'),
    BLOB_CONNECTION_STRING: z.string().min(1).optional().describe('Blob connection string (Azurite only)'),
    BLOB_CONTAINER: z.string().regex(/^[a-z0-9](?:[a-z0-9-]{1,61}[a-z0-9])$/, 'a valid container name').default('artifacts').describe('Container for artifact content'),
    AZURE_CLIENT_ID: z.string().min(1).optional().describe('Client id of the user-assigned managed identity'),
    ENTRA_ISSUER: z.url().optional().describe('Issuer of accepted Entra ID tokens'),
    ENTRA_AUDIENCE: z.string().min(1).optional().describe('Audience of accepted Entra ID tokens'),
    ENTRA_JWKS_URI: z.url().optional().describe('JWKS endpoint for Entra ID token signatures'),
    AZURE_OPENAI_ENDPOINT: z.url().optional().describe('Azure OpenAI endpoint; agents whose model policy allows azure-openai use it (builtin skills when unset)'),
    AZURE_OPENAI_DEPLOYMENT: z.string().min(1).optional().describe('Default Azure OpenAI deployment (an agent policy may name its own)'),
    AZURE_OPENAI_API_VERSION: z.string().min(1).default('2024-10-21').describe('Azure OpenAI data-plane API version (structured outputs need 2024-08-01-preview or later)'),
    AZURE_OPENAI_API_KEY: z.string().min(1).optional().describe('Azure OpenAI key (tests and compatible servers only); managed identity otherwise'),
    APPLICATIONINSIGHTS_CONNECTION_STRING: z.string().min(1).optional().describe('Application Insights; JSON logs when unset'),
    FACTORY_RATE_LIMIT_TENANT_RPS: z.coerce.number().nonnegative().default(DEFAULT_RATE_LIMITS.tenantPerSecond).describe('Tokens per second all principals of one tenant get for /api: a read takes 1, a change 5 (token bucket; 0 = no limit)'),
    FACTORY_RATE_LIMIT_PRINCIPAL_RPS: z.coerce.number().nonnegative().default(DEFAULT_RATE_LIMITS.principalPerSecond).describe('Tokens per second of one API key or identity for /api (PlatformAdmin: ten times this; 0 = no limit)'),
    FACTORY_RATE_LIMIT_BURST_SECONDS: z.coerce.number().positive().default(DEFAULT_RATE_LIMITS.burstSeconds).describe('How many seconds of tokens a rate-limit bucket holds for bursts'),
    FACTORY_AGENT_TASK_TIMEOUT_SECONDS: z.coerce.number().int().positive().default(600).describe('How long an agent task attempt may take before it is retried on another agent'),
    FACTORY_APPROVAL_TIMEOUT_SECONDS: z.coerce.number().int().positive().default(86400).describe('How long an approval waits before it escalates (and, as long again, before it expires)'),
    FACTORY_VALIDATION_CONCURRENCY: z.coerce
      .number()
      .int()
      .positive()
      .default(() => os.availableParallelism())
      .describe('ValidateService runs (type check, generated tests, contract test) one agent executor runs at once; the others wait, FIFO by workflow start (default: the number of CPUs)'),
    AGENT_TASK_MAX_DELIVERY_COUNT: z.coerce.number().int().positive().default(10).describe("The agent-tasks queue's maxDeliveryCount: on the last delivery a failing task reports failure before it is dead-lettered"),
    FACTORY_GIT_REMOTE: z.string().regex(/^https:\/\//, 'an https URL').optional().describe('Git remote for project repositories, with {tenantId} and {projectId} placeholders (e.g. https://github.com/acme/{projectId}.git); workflow branches are pushed there'),
    FACTORY_GIT_USERNAME: z.string().min(1).optional().describe('User name for the git remote (default: x-access-token on GitHub, pat elsewhere)'),
    FACTORY_GIT_TOKEN: z.string().min(1).optional().describe('Token for the git remote (in Azure a Key Vault reference); branches are pushed only when it is set'),
    FACTORY_AUDIT_KEY: z.string().regex(/^[A-Za-z0-9+/]{43,}={0,2}$/, 'base64 of at least 32 random bytes').optional().describe('Secret the audit chain is keyed and its checkpoints signed with (in Azure a Key Vault reference); locally generated into the data dir when unset'),
    FACTORY_BOOTSTRAP_MERGE: z.enum(['merge', 'pull-request']).default('merge').describe("What a completed ProjectBootstrap does with its branch: merge it into main, or open a pull request against main"),
    FACTORY_DRIFT_SCAN_SCHEDULE: z.string().min(1).default('0 */3 * * * *').describe('NCRONTAB schedule of the driftScan timer (six fields; default every 3 minutes)'),
    FACTORY_CONTAINERAPPS_ENVIRONMENT_ID: z.string().regex(/^\/subscriptions\/[^/]+\/resourceGroups\/[^/]+\/providers\/Microsoft\.App\/managedEnvironments\/[^/]+$/i, 'a Container Apps managed environment resource id').optional().describe('Resource id of the Container Apps environment generated services run in; selects the azure runtime provider (local processes when unset)'),
    FACTORY_CONTAINERAPPS_LOCATION: z.string().min(1).optional().describe('Azure region of the container apps (required with FACTORY_CONTAINERAPPS_ENVIRONMENT_ID)'),
    FACTORY_RUNTIME_IDENTITY_ID: z.string().min(1).optional().describe('Resource id of the user-assigned identity container apps pull images and read Key Vault secrets with'),
    FACTORY_CONTAINER_REGISTRY: z.string().min(1).optional().describe('Login server of the registry the pipelines push images to, e.g. acrfactory.azurecr.io'),
    FACTORY_TENANT_SECRETS: tenantSecretsSetting.optional().describe('JSON: the variables of the factory process each tenant may bind as environment secrets on the local runtime, e.g. {"contoso":["CONTOSO_DB_PASSWORD"]}; none by default'),
    LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error']).default('info').describe('Minimum level of log lines'),
    FACTORY_PRICE_TABLE: priceTableSetting.optional().describe('JSON: USD prices by model or deployment name, over the built-in table, e.g. {"gpt-4o":{"inputUsdPer1K":0.0025,"outputUsdPer1K":0.01}}; `computeUsdPerSecond` optional'),
  })
  .superRefine((c, ctx) => {
    if (c.FACTORY_CONTAINERAPPS_ENVIRONMENT_ID) {
      for (const key of ['FACTORY_CONTAINERAPPS_LOCATION', 'FACTORY_RUNTIME_IDENTITY_ID', 'FACTORY_CONTAINER_REGISTRY'] as const) {
        if (!c[key]) ctx.addIssue({ code: 'custom', path: [key], message: 'required with FACTORY_CONTAINERAPPS_ENVIRONMENT_ID' });
      }
    }
    const entra = [c.ENTRA_ISSUER, c.ENTRA_AUDIENCE, c.ENTRA_JWKS_URI].filter(Boolean).length;
    if (entra > 0 && entra < 3) {
      for (const key of ['ENTRA_ISSUER', 'ENTRA_AUDIENCE', 'ENTRA_JWKS_URI'] as const) {
        if (!c[key]) ctx.addIssue({ code: 'custom', path: [key], message: 'required when Entra ID validation is configured' });
      }
    }
  });

export type FactoryConfig = z.infer<typeof configSchema>;

export class ConfigError extends Error {}

/**
 * Whether the app runs on Azure Functions (App Service sets `WEBSITE_INSTANCE_ID` on every instance, Flex
 * Consumption included; Core Tools and the local host do not). There stdout goes to Application
 * Insights, so the app never prints a secret and needs FACTORY_ADMIN_KEY.
 */
export function hostedInAzure(env: NodeJS.ProcessEnv = process.env): boolean {
  return Boolean(env.WEBSITE_INSTANCE_ID);
}

/** What App Service leaves in a setting whose Key Vault reference it could not resolve. */
const UNRESOLVED_KEY_VAULT_REFERENCE = /^@Microsoft\.KeyVault\(/i;

/**
 * Reads `local.settings.json` Values (when present) under the environment, then validates.
 * Throws `ConfigError` naming every bad setting, including a Key Vault reference App Service could not
 * resolve (the app would otherwise use the reference text as the value) and, in Azure, a missing
 * FACTORY_ADMIN_KEY.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, appDir = process.cwd()): FactoryConfig {
  const merged: Record<string, string | undefined> = {};
  const file = path.join(appDir, 'local.settings.json');
  if (fs.existsSync(file)) {
    const values = (JSON.parse(fs.readFileSync(file, 'utf8')) as { Values?: Record<string, string> }).Values ?? {};
    Object.assign(merged, values);
  }
  for (const key of Object.keys(configSchema.shape)) if (env[key] !== undefined && env[key] !== '') merged[key] = env[key];
  for (const key of Object.keys(merged)) if (merged[key] === '') delete merged[key];
  const problems = hostingProblems(merged, hostedInAzure(env));
  const parsed = configSchema.safeParse(merged);
  if (!parsed.success) problems.push(...parsed.error.issues.map((i) => `${i.path.join('.') || '(config)'}: ${i.message}`));
  if (problems.length > 0 || !parsed.success) throw new ConfigError(`Invalid configuration:\n  ${[...new Set(problems)].join('\n  ')}`);
  return parsed.data;
}

function hostingProblems(values: Record<string, string | undefined>, inAzure: boolean): string[] {
  const problems: string[] = [];
  for (const key of Object.keys(configSchema.shape)) {
    if (UNRESOLVED_KEY_VAULT_REFERENCE.test(values[key] ?? '')) {
      problems.push(`${key}: an unresolved Key Vault reference (does the secret exist, and may the identity named by the site's keyVaultReferenceIdentity read it?)`);
      delete values[key];
    }
  }
  if (inAzure && !values.FACTORY_ADMIN_KEY && !problems.some((p) => p.startsWith('FACTORY_ADMIN_KEY:'))) {
    problems.push('FACTORY_ADMIN_KEY: required in Azure (a Key Vault reference to secret factory-admin-key); a generated key would be printed to logs');
  }
  return problems;
}

/** Which adapter each port uses, from the configuration. */
export function adapterChoice(c: FactoryConfig) {
  return {
    store: c.COSMOS_ENDPOINT ? 'cosmos' : 'sqlite',
    messaging: c.SERVICEBUS_NAMESPACE ? 'service-bus' : 'embedded',
    blobs: c.BLOB_ACCOUNT_URL || c.BLOB_CONNECTION_STRING ? 'azure-blob' : 'files',
    telemetry: c.APPLICATIONINSIGHTS_CONNECTION_STRING ? 'application-insights' : 'json-logs',
  } as const;
}
