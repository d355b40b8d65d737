/**
 * Static checks of the Bicep in infra/ against the code: the Azure resources it declares are exactly
 * the ones shared/platform/catalog.ts names, the Function App gets every setting config.ts reads in
 * Azure (and nothing else), and no key or secret-bearing connection string is ever configured.
 * The Bicep CLI is not available here, so the files are read as text with small parsers; the module
 * wiring (params passed, outputs read) is checked too, as a stand-in for `bicep build`.
 */
import fs from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import { CONTAINERS, EVENT_SUBSCRIPTIONS, EVENTS_TOPIC, QUEUES } from '../shared/platform/catalog';
import { configSchema } from '../shared/platform/config';

// Compiled to dist/test: the repository root is two levels up.
const root = path.resolve(__dirname, '../..');
const infraDir = path.join(root, 'infra');

/**
 * Settings of config.ts that are not for Azure, so the Function App must not get them:
 * FACTORY_DATA_DIR and FACTORY_ADMIN_KEY are local-host only, COSMOS_KEY and BLOB_CONNECTION_STRING are
 * for emulators (Azure uses managed identity), LOG_LEVEL keeps its default.
 */
const LOCAL_ONLY_SETTINGS = ['FACTORY_DATA_DIR', 'FACTORY_ADMIN_KEY', 'COSMOS_KEY', 'BLOB_CONNECTION_STRING', 'LOG_LEVEL', 'AZURE_OPENAI_API_KEY'];

/** App settings the Functions runtime and its extensions read (not config.ts). */
const RUNTIME_SETTINGS = [
  /^FUNCTIONS_EXTENSION_VERSION$/,
  /^FUNCTIONS_WORKER_RUNTIME$/,
  /^AzureWebJobsStorage__(accountName|credential|clientId|blobServiceUri|queueServiceUri|tableServiceUri)$/,
  /^ServiceBusConnection__(fullyQualifiedNamespace|credential|clientId)$/,
  /^APPLICATIONINSIGHTS_(AUTHENTICATION_STRING|CONNECTION_STRING)$/,
  /^AzureFunctionsJobHost__extensions__durableTask__/,
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
  const runtimeSettings = entries(declarationBlock(functionApp.text, 'var', 'runtimeSettings'));
  const every = new Map([...runtimeSettings, ...appSettings, ...dtsSettings]);
  const configKeys = Object.keys(configSchema.shape);

  it('are assembled from exactly these three objects, in one appsettings resource', () => {
    expect(functionApp.text.match(/name:\s*'appsettings'/g)).toHaveLength(1);
    expect(functionApp.text).toMatch(/properties:\s*union\(runtimeSettings,\s*appSettings\)/);
    expect(moduleFrom('modules/functionapp.bicep').params.get('appSettings')).toBe('union(appSettings, durableTaskSchedulerSettings)');
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

  it('never appear with a key anywhere in infra/', () => {
    for (const f of all) for (const marker of SECRET_MARKERS) expect([f.rel, marker.test(f.text)]).toEqual([f.rel, false]);
  });
});

describe('the platform resources', () => {
  const text = (rel: string) => modules.get(rel)!.text;

  it('turn local (key) authentication off and use Entra ID', () => {
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
    expect(declarationsOf('Microsoft.DocumentDB/databaseAccounts/sqlRoleAssignments').length).toBeGreaterThan(0);
    expect(text('modules/durabletask.bicep')).toContain('0ad04412-c4d5-4796-b79c-f76d14c8d402'); // Durable Task Data Contributor
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
    for (const [file, names] of files) {
      for (const n of names) expect([file, n, main.params.has(n)]).toEqual([file, n, true]);
      for (const n of required) expect([file, n, names.includes(n)]).toEqual([file, n, true]);
    }
  });

  it('has azure.yaml deploy the api service as a function from the project root', () => {
    const doc = YAML.parse(fs.readFileSync(path.join(root, 'azure.yaml'), 'utf8')) as {
      services: Record<string, { project: string; language: string; host: string }>;
    };
    expect(doc.services.api).toMatchObject({ project: '.', language: 'ts', host: 'function' });
    expect(main.outputs).toEqual(expect.any(Set));
    for (const o of ['AZURE_FUNCTION_APP_NAME', 'AZURE_RESOURCE_GROUP', 'AZURE_LOCATION', 'SERVICE_API_NAME']) expect([o, main.outputs.has(o)]).toEqual([o, true]);
  });
});
