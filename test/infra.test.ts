/**
 * Static checks of the Bicep in infra/ against the code: the Azure resources it declares are exactly
 * the ones shared/platform/catalog.ts names, the Function App gets every setting config.ts reads in
 * Azure (and nothing else), and no key or secret-bearing connection string is ever configured.
 * The Bicep CLI is not available here, so the files are read as text with small parsers; the module
 * wiring (params passed, outputs read) is checked too, as a stand-in for `bicep build`.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import ignore from 'ignore';
import YAML from 'yaml';
import { CONTAINERS, EVENT_SUBSCRIPTIONS, EVENTS_TOPIC, QUEUES } from '../shared/platform/catalog';
import { configSchema, loadConfig } from '../shared/platform/config';

// Compiled to dist/test: the repository root is two levels up.
const root = path.resolve(__dirname, '../..');
const infraDir = path.join(root, 'infra');

/**
 * Settings of config.ts that are not for Azure, so the Function App must not get them:
 * FACTORY_DATA_DIR is local-host only, COSMOS_KEY, BLOB_CONNECTION_STRING and AZURE_OPENAI_API_KEY are
 * for emulators and test servers (Azure uses managed identity), LOG_LEVEL keeps its default.
 */
const LOCAL_ONLY_SETTINGS = ['FACTORY_DATA_DIR', 'COSMOS_KEY', 'BLOB_CONNECTION_STRING', 'LOG_LEVEL', 'AZURE_OPENAI_API_KEY', 'FACTORY_TENANT_SECRETS'];

/** Settings that hold secrets: in Azure each is a Key Vault reference, never a value in infra/. */
const SECRET_SETTINGS = ['FACTORY_ADMIN_KEY', 'FACTORY_GIT_TOKEN', 'FACTORY_AUDIT_KEY'];

/** App settings the Functions runtime and its extensions read (not config.ts). */
const RUNTIME_SETTINGS = [
  /^FUNCTIONS_EXTENSION_VERSION$/,
  /^FUNCTIONS_WORKER_RUNTIME$/,
  /^AzureWebJobsStorage__(accountName|credential|clientId|blobServiceUri|queueServiceUri|tableServiceUri)$/,
  /^ServiceBusConnection__(fullyQualifiedNamespace|credential|clientId)$/,
  /^APPLICATIONINSIGHTS_(AUTHENTICATION_STRING|CONNECTION_STRING)$/,
  /^AzureFunctionsJobHost__extensions__durableTask__/,
  /^AzureFunctionsJobHost__extensions__serviceBus__maxAutoLockRenewalDuration$/,
  /^DURABLE_TASK_SCHEDULER_CONNECTION_STRING$/,
];

const SECRET_MARKERS = [/AccountKey=/i, /SharedAccessKey=/i, /listKeys\s*\(/i, /listConnectionStrings\s*\(/i];

// ---------------------------------------------------------------------------------------------
// A small reader for Bicep text
// ---------------------------------------------------------------------------------------------

/** Blanks out // and /* *\/ comments (keeping line breaks), leaving '...' strings alone. */
function stripComments(src: string): string {
  let out = '';
  let i = 0;
  while (i < src.length) {
    const c = src[i];
    if (c === "'") {
      const end = stringEnd(src, i);
      out += src.slice(i, end);
      i = end;
    } else if (c === '/' && src[i + 1] === '/') {
      while (i < src.length && src[i] !== '\n') i++;
    } else if (c === '/' && src[i + 1] === '*') {
      const end = src.indexOf('*/', i + 2);
      const stop = end < 0 ? src.length : end + 2;
      out += src.slice(i, stop).replace(/[^\n]/g, ' ');
      i = stop;
    } else {
      out += c;
      i++;
    }
  }
  return out;
}

/** Index just past the string literal that starts at `start` (a quote). */
function stringEnd(src: string, start: number): number {
  if (src.startsWith("'''", start)) {
    const end = src.indexOf("'''", start + 3);
    return end < 0 ? src.length : end + 3;
  }
  let i = start + 1;
  while (i < src.length && src[i] !== "'") i += src[i] === '\\' ? 2 : 1;
  return i + 1;
}

/** The text from the bracket at `open` to its matching close, inclusive. */
function balanced(src: string, open: number): string {
  const pairs: Record<string, string> = { '{': '}', '[': ']', '(': ')' };
  const stack: string[] = [];
  for (let i = open; i < src.length; i++) {
    const c = src[i];
    if (c === "'") {
      i = stringEnd(src, i) - 1;
    } else if (pairs[c]) {
      stack.push(pairs[c]);
    } else if (c === stack[stack.length - 1]) {
      stack.pop();
      if (stack.length === 0) return src.slice(open, i + 1);
    }
  }
  throw new Error(`unbalanced bracket at ${open}`);
}

/** The first object or array literal after `<keyword> <name> ... =` (for a ternary, its first branch). */
function declarationBlock(src: string, keyword: 'var' | 'module' | 'resource', name: string): string {
  const m = new RegExp(`^${keyword}\\s+${name}\\b[^=\\n]*=`, 'm').exec(src);
  if (!m) throw new Error(`${keyword} ${name} not found`);
  const open = src.slice(m.index + m[0].length).search(/[{[]/);
  if (open < 0) throw new Error(`${keyword} ${name} has no literal`);
  return balanced(src, m.index + m[0].length + open);
}

/** Top-level `key: value` entries of an object literal (formatted one per line). */
function entries(block: string): Map<string, string> {
  const result = new Map<string, string>();
  let depth = 0;
  for (const line of block.split('\n')) {
    if (depth === 1) {
      const m = /^\s*(?:'([^']+)'|([A-Za-z_]\w*))\s*:\s*(.*)$/.exec(line);
      if (m) result.set(m[1] ?? m[2], m[3].trim());
    }
    for (let i = 0; i < line.length; i++) {
      const c = line[i];
      if (c === "'") i = stringEnd(line, i) - 1;
      else if (c === '{' || c === '[') depth++;
      else if (c === '}' || c === ']') depth--;
    }
  }
  return result;
}

/** Quoted strings of an array literal. */
function strings(block: string): string[] {
  return [...block.matchAll(/'([^']*)'/g)].map((m) => m[1]);
}

interface ResourceDecl {
  file: string;
  symbol: string;
  type: string;
  /** The text after `=` up to the body's opening brace, e.g. `[\n  for c in containers: ` or `if (x) `. */
  head: string;
  body: string;
}

interface BicepFile {
  rel: string;
  text: string;
  params: Map<string, { hasDefault: boolean }>;
  outputs: Set<string>;
  resources: ResourceDecl[];
}

function load(rel: string): BicepFile {
  const text = stripComments(fs.readFileSync(path.join(infraDir, rel), 'utf8'));
  const params = new Map<string, { hasDefault: boolean }>();
  for (const m of text.matchAll(/^param\s+(\w+)\s+\w+(\??)([^\n]*)$/gm)) params.set(m[1], { hasDefault: m[2] === '?' || /^\s*=/.test(m[3]) });
  const outputs = new Set([...text.matchAll(/^output\s+(\w+)\s/gm)].map((m) => m[1]));
  const resources: ResourceDecl[] = [];
  for (const m of text.matchAll(/^\s*resource\s+(\w+)\s+'([^'@]+)@[^']+'\s*(existing\s*)?=\s*/gm)) {
    if (m[3]) continue; // existing references declare nothing
    const after = m.index + m[0].length;
    const brace = text.indexOf('{', after);
    resources.push({ file: rel, symbol: m[1], type: m[2], head: text.slice(after, brace), body: balanced(text, brace) });
  }
  return { rel, text, params, outputs, resources };
}

const moduleFiles = fs
  .readdirSync(path.join(infraDir, 'modules'))
  .filter((f) => f.endsWith('.bicep'))
  .map((f) => `modules/${f}`);
const main = load('main.bicep');
const modules = new Map(moduleFiles.map((rel) => [rel, load(rel)]));
const all = [main, ...modules.values()];

/** Module declarations of main.bicep: symbol → file and the params it passes. */
const moduleDecls = new Map(
  [...main.text.matchAll(/^module\s+(\w+)\s+'\.\/([^']+)'/gm)].map((m) => {
    const block = declarationBlock(main.text, 'module', m[1]);
    const paramsAt = block.search(/\n\s*params:\s*\{/);
    const params = paramsAt < 0 ? new Map<string, string>() : entries(balanced(block, block.indexOf('{', paramsAt)));
    return [m[1], { file: m[2], params }] as const;
  }),
);

function declarationsOf(type: string): ResourceDecl[] {
  return all.flatMap((f) => f.resources.filter((r) => r.type.toLowerCase() === type.toLowerCase()));
}

/** The module symbol in main.bicep declared from `file`. */
function moduleFrom(file: string) {
  const found = [...moduleDecls].find(([, d]) => d.file === file);
  if (!found) throw new Error(`no module from ${file}`);
  return found[1];
}

/** Seconds of a .NET TimeSpan written `hh:mm:ss` (the host.json format). */
function timeSpanSeconds(value: string): number {
  const m = /^(\d+):(\d{2}):(\d{2})$/.exec(value);
  if (!m) throw new Error(`not an hh:mm:ss TimeSpan: ${value}`);
  return Number(m[1]) * 3600 + Number(m[2]) * 60 + Number(m[3]);
}

/**
 * Evaluates main.bicep's `serviceBusLockRenewal` for a timeout: its two vars, translated from the few
 * Bicep operations used there (`+`, `%`, integer `/`, string(), padLeft()) into JavaScript over BigInt,
 * whose division truncates as Bicep's does.
 */
function evaluateLockRenewal(agentTaskTimeoutSeconds: number): string {
  const seconds = /^var\s+serviceBusLockRenewalSeconds\s*=\s*(.+)$/m.exec(main.text)?.[1];
  const format = /^var\s+serviceBusLockRenewal\s*=\s*'(.+)'\s*$/m.exec(main.text)?.[1];
  if (!seconds || !format) throw new Error('serviceBusLockRenewal vars not found');
  const toJs = (expr: string) => expr.replace(/'[^']*'|\b\d+\b/g, (token) => (token.startsWith("'") ? JSON.stringify(token.slice(1, -1)) : `${token}n`));
  const helpers = { padLeft: (v: unknown, n: bigint, c: string) => String(v).padStart(Number(n), c), string: (v: unknown) => String(v) };
  const evaluate = (expr: string, scope: Record<string, unknown>) =>
    new Function(...Object.keys(scope), `return (${expr});`)(...Object.values(scope)) as unknown;
  const serviceBusLockRenewalSeconds = evaluate(toJs(seconds), { agentTaskTimeoutSeconds: BigInt(agentTaskTimeoutSeconds) });
  return format.replace(/\$\{((?:[^{}]|\{[^{}]*\})*)\}/g, (_, expr: string) =>
    String(evaluate(toJs(expr), { ...helpers, serviceBusLockRenewalSeconds })),
  );
}

// ---------------------------------------------------------------------------------------------

describe('infra/ declares what the catalog names', () => {
  it('declares every Cosmos container with exactly its partition key paths, and no other', () => {
    const block = declarationBlock(main.text, 'var', 'cosmosContainers');
    const parsed = [...block.matchAll(/\{\s*name:\s*'([^']+)'\s*,\s*partitionKeyPaths:\s*\[([^\]]*)\]\s*\}/g)].map((m) => ({
      name: m[1],
      partitionKey: strings(m[2]),
    }));
    expect(parsed).toHaveLength([...block.matchAll(/\bname:/g)].length); // nothing skipped by the pattern
    expect(parsed).toEqual(CONTAINERS.map((c) => ({ name: c.name, partitionKey: [...c.partitionKey] })));

    // The only container resources are the loop over that list.
    const decls = declarationsOf('Microsoft.DocumentDB/databaseAccounts/sqlDatabases/containers');
    expect(decls).toHaveLength(1);
    const loopVar = /^\[\s*for\s+(\w+)\s+in\s+containers\s*:/.exec(decls[0].head)?.[1];
    expect(loopVar).toBeDefined();
    expect(decls[0].body).toContain(`paths: ${loopVar}.partitionKeyPaths`);
    expect(decls[0].body).toMatch(/'MultiHash'/);
    expect(decls[0].body).toMatch(/version:\s*2\b/);
    expect(moduleFrom(decls[0].file).params.get('containers')).toBe('cosmosContainers');
  });

  it('declares the queues, the event topic and every subscription, and no other entity', () => {
    expect(strings(declarationBlock(main.text, 'var', 'serviceBusQueues')).sort()).toEqual(Object.values(QUEUES).sort());
    expect(/^var\s+eventTopicName\s*=\s*'([^']+)'/m.exec(main.text)?.[1]).toBe(EVENTS_TOPIC);
    expect(strings(declarationBlock(main.text, 'var', 'eventSubscriptions')).sort()).toEqual([...EVENT_SUBSCRIPTIONS].sort());

    const queues = declarationsOf('Microsoft.ServiceBus/namespaces/queues');
    const topics = declarationsOf('Microsoft.ServiceBus/namespaces/topics');
    const subscriptions = declarationsOf('Microsoft.ServiceBus/namespaces/topics/subscriptions');
    expect(queues).toHaveLength(1);
    expect(topics).toHaveLength(1);
    expect(subscriptions).toHaveLength(1);
    expect(queues[0].head).toMatch(/^\[\s*for\s+\w+\s+in\s+queueNames\s*:/);
    expect(topics[0].head.trim()).toBe('');
    expect(topics[0].body).toMatch(/\bname:\s*topicName\b/);
    expect(subscriptions[0].head).toMatch(/^\[\s*for\s+\w+\s+in\s+subscriptionNames\s*:/);
    for (const decl of [queues[0], subscriptions[0]]) {
      expect(decl.body).toMatch(/maxDeliveryCount:/);
      expect(decl.body).toMatch(/lockDuration:/);
      expect(decl.body).toMatch(/deadLetteringOnMessageExpiration:\s*true/);
    }
    const sb = moduleFrom(queues[0].file);
    expect(sb.params.get('queueNames')).toBe('serviceBusQueues');
    expect(sb.params.get('topicName')).toBe('eventTopicName');
    expect(sb.params.get('subscriptionNames')).toBe('eventSubscriptions');
  });
});

describe('the Function App settings', () => {
  const functionApp = modules.get('modules/functionapp.bicep')!;
  const appSettings = entries(declarationBlock(main.text, 'var', 'appSettings'));
  const dtsSettings = entries(declarationBlock(main.text, 'var', 'durableTaskSchedulerSettings'));
  const hostSettings = entries(declarationBlock(main.text, 'var', 'hostSettings'));
  const runtimeSettings = entries(declarationBlock(functionApp.text, 'var', 'runtimeSettings'));
  const every = new Map([...runtimeSettings, ...appSettings, ...hostSettings, ...dtsSettings]);
  const configKeys = Object.keys(configSchema.shape);

  it('are assembled from exactly these four objects, in one appsettings resource', () => {
    expect(functionApp.text.match(/name:\s*'appsettings'/g)).toHaveLength(1);
    expect(functionApp.text).toMatch(/properties:\s*union\(runtimeSettings,\s*appSettings\)/);
    expect(moduleFrom('modules/functionapp.bicep').params.get('appSettings')).toBe('union(appSettings, hostSettings, durableTaskSchedulerSettings)');
    for (const f of all) expect(f.text).not.toMatch(/appSettings:\s*\[/); // no siteConfig.appSettings array elsewhere
  });

  it('include every setting config.ts reads in Azure', () => {
    const azureKeys = configKeys.filter((k) => !LOCAL_ONLY_SETTINGS.includes(k));
    expect(azureKeys.length).toBeGreaterThan(0);
    for (const key of azureKeys) expect([key, appSettings.has(key)]).toEqual([key, true]);
  });

  it('include nothing that neither config.ts nor the Functions runtime reads, and no local-only setting', () => {
    for (const key of every.keys()) {
      const used = (configKeys.includes(key) && !LOCAL_ONLY_SETTINGS.includes(key)) || RUNTIME_SETTINGS.some((p) => p.test(key));
      expect([key, used]).toEqual([key, true]);
    }
  });

  it('connect with the managed identity: storage and Service Bus by name, never by key', () => {
    expect(runtimeSettings.get('AzureWebJobsStorage__credential')).toBe("'managedidentity'");
    expect(runtimeSettings.get('AzureWebJobsStorage__clientId')).toBe('identityClientId');
    expect(runtimeSettings.has('AzureWebJobsStorage__accountName')).toBe(true);
    expect(runtimeSettings.get('ServiceBusConnection__credential')).toBe("'managedidentity'");
    expect(runtimeSettings.get('ServiceBusConnection__clientId')).toBe('identityClientId');
    expect(runtimeSettings.has('ServiceBusConnection__fullyQualifiedNamespace')).toBe(true);
    expect(every.has('AzureWebJobsStorage')).toBe(false);
    for (const [key, value] of every) for (const marker of SECRET_MARKERS) expect([key, marker.test(value)]).toEqual([key, false]);
  });

  it('give every secret as a Key Vault reference, resolved with the user-assigned identity', () => {
    const reference = /^'@Microsoft\.KeyVault\(VaultName=\$\{keyVault\.outputs\.name\};SecretName=\$\{(\w+)\}\)'$/;
    for (const key of SECRET_SETTINGS) {
      const value = appSettings.get(key) ?? '';
      const direct = reference.exec(value) ?? reference.exec(value.replace(/^empty\(\w+\)\s*\?\s*''\s*:\s*/, ''));
      expect([key, direct?.[1] !== undefined]).toEqual([key, true]);
      expect(main.text).toMatch(new RegExp(`^var\\s+${direct![1]}\\s*=\\s*'factory-[a-z-]+'`, 'm'));
    }
    // Without keyVaultReferenceIdentity App Service resolves with the system-assigned identity, which this
    // site does not have: the app would receive the reference text itself.
    const site = functionApp.resources.find((r) => r.type === 'Microsoft.Web/sites')!;
    expect(site.body).toMatch(/\bkeyVaultReferenceIdentity:\s*identityId\b/);
    expect(site.body).toMatch(/type:\s*'UserAssigned'/);
    expect(site.body).toMatch(/'\$\{identityId\}':\s*\{\}/);
    expect(moduleFrom('modules/functionapp.bicep').params.get('identityId')).toBe('identity.outputs.id');
  });

  it('make the bootstrap admin key a Key Vault secret that azd generates, never a printed one', () => {
    expect(main.text).toMatch(/@secure\(\)\s*\n(?:@[^\n]*\n|[^\n]*\n)*?param\s+bootstrapAdminKey\s+string\s*$/m);
    const decorators = main.text.slice(main.text.lastIndexOf('@secure()', main.text.indexOf('param bootstrapAdminKey')), main.text.indexOf('param bootstrapAdminKey'));
    expect(decorators).toMatch(/type:\s*'generate'/);
    const keyVault = modules.get('modules/keyvault.bicep')!;
    const secret = keyVault.resources.find((r) => r.type === 'Microsoft.KeyVault/vaults/secrets');
    expect(secret?.body).toMatch(/name:\s*adminKeySecretName/);
    expect(secret?.body).toMatch(/value:\s*adminKey\b/);
    expect(keyVault.text).toMatch(/@secure\(\)\s*\n(?:@[^\n]*\n)*param\s+adminKey\s+string/);
    expect(moduleFrom('modules/keyvault.bicep').params.get('adminKey')).toBe('bootstrapAdminKey');
    expect(main.outputs.has('bootstrapAdminKey')).toBe(false);
    // The app refuses to start in Azure without it (it would otherwise generate one and print it).
    expect(() => loadConfig({ WEBSITE_INSTANCE_ID: 'instance-1' }, '/nonexistent')).toThrow(/FACTORY_ADMIN_KEY: required in Azure/);
  });

  it('renew Service Bus message locks for at least the agent task timeout', () => {
    const timeoutDefault = loadConfig({}, '/nonexistent').FACTORY_AGENT_TASK_TIMEOUT_SECONDS;
    const hostJson = JSON.parse(fs.readFileSync(path.join(root, 'host.json'), 'utf8')) as { extensions: { serviceBus: { maxAutoLockRenewalDuration?: string } } };
    expect(timeSpanSeconds(hostJson.extensions.serviceBus.maxAutoLockRenewalDuration ?? '00:05:00')).toBeGreaterThanOrEqual(timeoutDefault);

    // In Azure the app setting overrides host.json, from the parameter that also sets the timeout.
    expect(appSettings.get('FACTORY_AGENT_TASK_TIMEOUT_SECONDS')).toBe('string(agentTaskTimeoutSeconds)');
    expect(hostSettings.get('AzureFunctionsJobHost__extensions__serviceBus__maxAutoLockRenewalDuration')).toBe('serviceBusLockRenewal');
    const max = Number(/@maxValue\((\d+)\)\s*\nparam\s+agentTaskTimeoutSeconds\b/.exec(main.text)?.[1]);
    expect(max).toBeGreaterThan(0);
    for (const timeout of [1, 59, 300, 600, 3599, 7200, max]) {
      const renewal = evaluateLockRenewal(timeout);
      expect([timeout, renewal]).toEqual([timeout, expect.stringMatching(/^\d{2}:[0-5]\d:[0-5]\d$/)]);
      expect(timeSpanSeconds(renewal)).toBeGreaterThanOrEqual(timeout);
    }
  });

  it('never appear with a key anywhere in infra/', () => {
    for (const f of all) for (const marker of SECRET_MARKERS) expect([f.rel, marker.test(f.text)]).toEqual([f.rel, false]);
  });
});

describe('the platform resources', () => {
  const text = (rel: string) => modules.get(rel)!.text;

  it('turn local (key) authentication off and use Entra ID', () => {
    expect(text('modules/monitoring.bicep')).toMatch(/DisableLocalAuth:\s*true/);
    expect(text('modules/storage.bicep')).toMatch(/allowSharedKeyAccess:\s*false/);
    expect(text('modules/cosmos.bicep')).toMatch(/disableLocalAuth:\s*true/);
    expect(text('modules/servicebus.bicep')).toMatch(/disableLocalAuth:\s*true/);
    expect(text('modules/keyvault.bicep')).toMatch(/enableRbacAuthorization:\s*true/);
  });

  it('host the app on Flex Consumption with node and identity-based deployment storage', () => {
    const fa = text('modules/functionapp.bicep');
    expect(fa).toMatch(/name:\s*'FC1'/);
    expect(fa).toMatch(/tier:\s*'FlexConsumption'/);
    expect(fa).toMatch(/runtime:\s*\{\s*name:\s*'node'/);
    expect(fa).toMatch(/type:\s*'UserAssignedIdentity'/);
    expect(fa).toMatch(/'azd-service-name':\s*serviceName/);
  });

  it('grant the identity its roles', () => {
    const access = text('modules/access.bicep');
    const roles = {
      'Storage Blob Data Owner': 'b7e6dc6d-f1e8-4753-8033-0f276bb0955b',
      'Storage Queue Data Contributor': '974c5e8b-45b9-4653-ba55-5f855dd0fb88',
      'Storage Table Data Contributor': '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3',
      'Azure Service Bus Data Sender': '69a216fc-b8fb-44d8-bc22-1f3c2cd27a39',
      'Azure Service Bus Data Receiver': '4f6d3b9b-027b-4f4c-9142-0e5a2a2247e0',
      'Key Vault Secrets User': '4633458b-17de-408a-b874-0445c86b69e6',
      'Monitoring Metrics Publisher': '3913510d-42f4-4e42-8a64-420c390055eb',
      'Cosmos DB Built-in Data Contributor': '00000000-0000-0000-0000-000000000002',
    };
    for (const [role, id] of Object.entries(roles)) expect([role, access.includes(id)]).toEqual([role, true]);
    // Monitoring Metrics Publisher on the Application Insights resource: the only way to write telemetry with local auth off.
    expect(access).toMatch(/scope:\s*appInsights\s*\n\s*properties:\s*\{\s*roleDefinitionId:[^\n]*monitoringMetricsPublisher/);
    expect(declarationsOf('Microsoft.DocumentDB/databaseAccounts/sqlRoleAssignments').length).toBeGreaterThan(0);
    expect(text('modules/durabletask.bicep')).toContain('0ad04412-c4d5-4796-b79c-f76d14c8d402'); // Durable Task Data Contributor
  });

  it('grant Cognitive Services OpenAI User on the configured Azure OpenAI account and take its endpoint from it', () => {
    const openAI = modules.get('modules/openai-access.bicep')!;
    const assignment = openAI.resources.find((r) => r.type === 'Microsoft.Authorization/roleAssignments');
    expect(openAI.text).toMatch(/cognitiveServicesOpenAIUser\s*=\s*'5e0bd9bd-7b93-4f28-af87-19fc36ad61bd'/);
    expect(assignment?.body).toMatch(/scope:\s*account\b/);
    expect(assignment?.body).toMatch(/roleDefinitions',\s*cognitiveServicesOpenAIUser\)/);
    expect(assignment?.body).toMatch(/principalId:\s*appPrincipalId/);
    expect(openAI.text).toMatch(/resource\s+account\s+'Microsoft\.CognitiveServices\/accounts@[^']+'\s+existing/);
    expect(main.text).toMatch(/^module\s+openAIAccess\s+'\.\/modules\/openai-access\.bicep'\s*=\s*if\s*\(!empty\(azureOpenAIResourceId\)\)/m);
    expect(moduleFrom('modules/openai-access.bicep').params.get('appPrincipalId')).toBe('identity.outputs.principalId');
    const appSettings = entries(declarationBlock(main.text, 'var', 'appSettings'));
    expect(appSettings.get('AZURE_OPENAI_ENDPOINT')).toBe("empty(azureOpenAIResourceId) ? '' : openAIAccess.outputs.endpoint");
  });

  it('add the Durable Task Scheduler only when asked', () => {
    expect(main.text).toMatch(/^param\s+useDurableTaskScheduler\s+bool\s*=\s*false/m);
    expect(main.text).toMatch(/^module\s+durableTask\s+'\.\/modules\/durabletask\.bicep'\s*=\s*if\s*\(useDurableTaskScheduler\)/m);
    expect(main.text).toMatch(/^var\s+durableTaskSchedulerSettings\s*=\s*useDurableTaskScheduler\s*\?/m);
  });
});

describe('the Bicep wiring (a stand-in for bicep build)', () => {
  it('passes only declared params to each module, every required one, and reads only declared outputs', () => {
    expect(moduleDecls.size).toBeGreaterThan(0);
    for (const [symbol, decl] of moduleDecls) {
      const mod = modules.get(decl.file);
      expect([symbol, decl.file, Boolean(mod)]).toEqual([symbol, decl.file, true]);
      for (const key of decl.params.keys()) expect([symbol, key, mod!.params.has(key)]).toEqual([symbol, key, true]);
      for (const [name, p] of mod!.params) if (!p.hasDefault) expect([symbol, name, decl.params.has(name)]).toEqual([symbol, name, true]);
    }
    for (const m of main.text.matchAll(/\b(\w+)\.outputs\.(\w+)/g)) {
      const decl = moduleDecls.get(m[1]);
      expect([m[0], Boolean(decl && modules.get(decl.file)!.outputs.has(m[2]))]).toEqual([m[0], true]);
    }
  });

  it('gives main.bicep only params it declares, in every parameter file, and all required ones', () => {
    const required = [...main.params].filter(([, p]) => !p.hasDefault).map(([n]) => n);
    expect(required).toEqual(expect.arrayContaining(['environmentName', 'location']));
    const json = JSON.parse(fs.readFileSync(path.join(infraDir, 'main.parameters.json'), 'utf8')) as { parameters: Record<string, unknown> };
    const files: Array<[string, string[]]> = [['main.parameters.json', Object.keys(json.parameters)]];
    for (const f of fs.readdirSync(infraDir).filter((n) => n.endsWith('.bicepparam'))) {
      const src = stripComments(fs.readFileSync(path.join(infraDir, f), 'utf8'));
      expect([f, /^using\s+'\.\/main\.bicep'/m.test(src)]).toEqual([f, true]);
      files.push([f, [...src.matchAll(/^param\s+(\w+)\s*=/gm)].map((m) => m[1])]);
    }
    expect(files.map(([f]) => f)).toEqual(expect.arrayContaining(['main.dev.bicepparam', 'main.prod.bicepparam']));
    // azd fills parameters whose metadata says `type: 'generate'` itself (and keeps them in the environment).
    const generated = required.filter((n) => {
      const before = main.text.slice(0, main.text.indexOf(`param ${n} `));
      const decorators = before.slice(before.lastIndexOf('\nparam ') + 1);
      return /@metadata\(\{\s*azd:\s*\{\s*type:\s*'generate'/.test(decorators);
    });
    expect(generated.sort()).toEqual(['auditKey', 'bootstrapAdminKey']);
    for (const [file, names] of files) {
      for (const n of names) expect([file, n, main.params.has(n)]).toEqual([file, n, true]);
      for (const n of required) if (!(file === 'main.parameters.json' && generated.includes(n))) expect([file, n, names.includes(n)]).toEqual([file, n, true]);
    }
  });

  it('has azure.yaml deploy the api service as a function from the project root', () => {
    const doc = YAML.parse(fs.readFileSync(path.join(root, 'azure.yaml'), 'utf8')) as {
      services: Record<string, { project: string; language: string; host: string }>;
    };
    expect(doc.services.api).toMatchObject({ project: '.', language: 'ts', host: 'function', remoteBuild: false, dist: 'dist-azure' });
    expect(doc.services.api).toMatchObject({ hooks: { prepackage: { run: 'npm run package:azure' } } });
    const scripts = (JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts;
    expect(scripts['package:azure']).toMatch(/^npm run build && node scripts\/azure-package\.js dist-azure$/);
    expect(main.outputs).toEqual(expect.any(Set));
    for (const o of ['AZURE_FUNCTION_APP_NAME', 'AZURE_RESOURCE_GROUP', 'AZURE_LOCATION', 'SERVICE_API_NAME']) expect([o, main.outputs.has(o)]).toEqual([o, true]);
  });
});

// ---------------------------------------------------------------------------------------------
// What azd uploads, and what the app loads from it
// ---------------------------------------------------------------------------------------------

interface PackagePlan {
  files: string[];
  packages: string[];
}
 
const packaging = require(path.join(root, 'scripts', 'azure-package.js')) as {
  LOCAL_ONLY: Record<string, string>;
  productionPackages(root: string): string[];
  azurePackagePlan(root: string): PackagePlan;
  deployedManifest(root: string): { main: string; dependencies: Record<string, string>; devDependencies?: unknown; scripts?: unknown };
};

interface ProbeResult {
  entryFiles: string[];
  functions: Array<{ name: string; type: string; queueName?: string; topicName?: string; subscriptionName?: string }>;
  loaded: string[];
  refused: string[];
  outside: string[];
  errors: string[];
}

describe('the deployment package', () => {
  let plan: PackagePlan;
  let uploaded: string[];
  let probe: ProbeResult;
  const manifest = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { devDependencies: Record<string, string>; dependencies: Record<string, string> };

  beforeAll(() => {
    plan = packaging.azurePackagePlan(root);
    // azd zips the `dist` folder minus the .funcignore rules (gitignore syntax).
    const rules = ignore().add(fs.readFileSync(path.join(root, '.funcignore'), 'utf8'));
    uploaded = plan.files.filter((f) => !rules.ignores(f));
    const out = execFileSync(process.execPath, [path.join(root, 'dist', 'test', 'support', 'azureLoadProbe.js'), root], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, env: { ...process.env, WEBSITE_INSTANCE_ID: '' } });
    probe = JSON.parse(out.trim().split('\n').pop()!) as ProbeResult;
  }, 120_000);

  it('holds host.json, the deployed package.json, every entry file and the production dependencies', () => {
    for (const f of ['host.json', 'package.json', 'node_modules/durable-functions/package.json', 'node_modules/@azure/functions/package.json', 'node_modules/typescript/lib/lib.es2022.d.ts']) {
      expect([f, uploaded.includes(f)]).toEqual([f, true]);
    }
    expect(probe.entryFiles.length).toBeGreaterThan(10);
    for (const f of probe.entryFiles) expect([f, uploaded.includes(f)]).toEqual([f, true]);
    const deployed = packaging.deployedManifest(root);
    expect(deployed.main).toBe('dist/{functions,orchestrations}/**/*.js');
    expect(deployed.devDependencies).toBeUndefined();
    expect(deployed.scripts).toBeUndefined();
    expect(Object.keys(deployed.dependencies).sort()).toEqual(Object.keys(manifest.dependencies).filter((d) => !packaging.LOCAL_ONLY[d]).sort());
  });

  it('holds no dev dependency, no local-only module, no native binary, no tests, sources, maps or local settings', () => {
    const topLevel = (name: string) => uploaded.some((f) => f.startsWith(`node_modules/${name}/`));
    // A dev dependency that a production dependency also needs (the Studio bundles @azure/msal-browser,
    // which @azure/identity requires too) ships as the production package it also is.
    const production = new Set<string>(packaging.productionPackages(root));
    const devOnly = Object.keys(manifest.devDependencies).filter((d) => !d.startsWith('@types/') && !production.has(`node_modules/${d}`));
    for (const dev of [...devOnly, 'better-sqlite3']) expect([dev, topLevel(dev)]).toEqual([dev, false]);
    expect(Object.keys(packaging.LOCAL_ONLY)).toEqual(['better-sqlite3']);
    const forbidden = uploaded.filter(
      (f) =>
        /\.node$|(^|\/)binding\.gyp$|\.map$/.test(f) ||
        /^(dist\/(local|test|bench)|local|test|bench|infra|functions|shared|orchestrations|scripts)\//.test(f) ||
        (/\.ts$/.test(f) && !/\.d\.ts$/.test(f)) ||
        /^(local\.settings\.json|tsconfig\.json|jest\.config\.js|eslint\.config\.mjs|README\.md)$/.test(f),
    );
    expect(forbidden).toEqual([]);
  });

  it('lets the app load in Azure from the package alone, without better-sqlite3', () => {
    expect(probe.errors).toEqual([]);
    expect(probe.functions.length).toBeGreaterThan(20);
    expect(probe.refused).not.toContain('node_modules/better-sqlite3');
    expect(probe.loaded).not.toContain('node_modules/better-sqlite3');
    for (const pkg of probe.loaded) expect([pkg, plan.packages.includes(pkg)]).toEqual([pkg, true]);
    expect(probe.outside).toEqual([]); // every file of the app it loads is in the package
  });

  it('declares a topic subscription for every consumer and a consumer for every subscription', () => {
    const consumers = probe.functions.filter((f) => f.type === 'serviceBusTrigger' && f.topicName);
    for (const c of consumers) expect(c.topicName).toBe(EVENTS_TOPIC);
    expect(consumers.map((c) => c.subscriptionName).sort()).toEqual([...EVENT_SUBSCRIPTIONS].sort());
    expect(strings(declarationBlock(main.text, 'var', 'eventSubscriptions')).sort()).toEqual([...EVENT_SUBSCRIPTIONS].sort());
    // The queues have their consumers too.
    const queueConsumers = new Set(probe.functions.filter((f) => f.type === 'serviceBusTrigger' && f.queueName).map((f) => f.queueName));
    for (const q of Object.values(QUEUES)) expect([q, queueConsumers.has(q)]).toEqual([q, true]);
  });
});
