import path from 'node:path';
import { applyLocalSettings, loadEntryFiles, readApp } from './appLoader';
import { createCoreApi, FunctionRegistry, installCoreApi } from './core/coreApi';
import { InputBindingProvider, Invoker, OutputBindingSink } from './core/invoker';
import { commitBarrier, Db, lockDataDir, openDatabase } from './db';
import type { CommitBarrier } from './groupCommit';
import { HttpHost, internalRoute, InternalRoute } from './http/server';
import { HostLogger } from './logger';
import { keepThrownOrchestratorValues } from './durable/thrownValues';
import { loadHostKeys, LoadedHostKeys } from './security/hostKeys';
import type { HostContext, HostSubsystem } from './subsystem';
import { createSubsystems, HostSettings, readHostSettings } from './settings';

export interface HostOptions {
  appDir: string;
  port?: number;
  dataDir?: string;
  /** Bind address; loopback by default. */
  hostname?: string;
  /** `process` or `fsync` (`--durability`); FACTORY_HOST_DURABILITY otherwise. */
  durability?: string;
  logger?: HostLogger;
}

/** The running local host: an Azure Functions Node v4 app served offline. */
export interface RunningHost {
  port: number;
  origin: string;
  dataDir: string;
  registry: FunctionRegistry;
  settings: HostSettings;
  keys: LoadedHostKeys;
  stop(): Promise<void>;
}

const TRIGGERS_SERVED_BY_HOST = ['httptrigger', 'http'];

export async function startHost(options: HostOptions): Promise<RunningHost> {
  const logger = options.logger ?? new HostLogger();
  const app = readApp(options.appDir);
  const applied = applyLocalSettings(app.appDir);
  const dataDir = path.resolve(options.dataDir ?? path.join(app.appDir, '.data'));
  const unlock = lockDataDir(dataDir);
  let settings: HostSettings;
  let keys: LoadedHostKeys;
  try {
    settings = readHostSettings(app.hostJson, options.durability);
    keys = loadHostKeys(dataDir);
  } catch (error) {
    unlock();
    throw error;
  }
  const bind = options.hostname ?? '127.0.0.1';
  if (bind === '0.0.0.0' || bind === '::') {
    logger.warn('the host listens on every network interface: host keys are then the only protection of /admin and /runtime routes, and anonymous functions are open to the network', { host: bind });
  }

  const http = new HttpHost({ maxBodyBytes: settings.maxRequestBodyBytes, anonymousMaxBodyBytes: settings.anonymousMaxBodyBytes, anonymousBodyBudgetBytes: settings.anonymousBodyBudgetBytes, keys, logger });
  const port = await http.listen(options.port ?? 7071, bind);
  const origin = `http://localhost:${port}`;
  // The durable client builds its management URLs from WEBSITE_HOSTNAME.
  process.env.WEBSITE_HOSTNAME = `localhost:${port}`;
  process.env.FACTORY_HOST_DATA_DIR = dataDir;
  process.env.FUNCTIONS_WORKER_RUNTIME ??= 'node';

  const registry = new FunctionRegistry();
  installCoreApi(createCoreApi(registry, (level, category, message) => logger.user(level, { category, message })));
  keepThrownOrchestratorValues(app.appDir);
  loadEntryFiles(app);

  let db: Db | undefined;
  let commits: CommitBarrier | undefined;
  const subsystems: HostSubsystem[] = [];
  try {
    db = openDatabase(dataDir);
    commits = commitBarrier(db, settings.durability);
    subsystems.push(...createSubsystems(settings));
    for (const s of subsystems) s.migrate?.(db);

    const inputs = new Map<string, InputBindingProvider>();
    const outputs = new Map<string, OutputBindingSink>();
    for (const s of subsystems) {
      for (const [type, provider] of Object.entries(s.inputProviders?.() ?? {})) inputs.set(type, provider);
      for (const [type, sink] of Object.entries(s.outputSinks?.() ?? {})) outputs.set(type, sink);
    }
    reportUnsupportedBindings(registry, subsystems, logger);
    const invoker = new Invoker(registry, logger, inputs, outputs);
    const context: HostContext = { registry, invoker, db, commits, dataDir, hostJson: app.hostJson, logger, origin, keys };
    for (const s of subsystems) await s.start(context);
    const routes: InternalRoute[] = [
      internalRoute(['GET'], 'admin/host/status', () => ({
        status: 200,
        body: {
          state: 'Running',
          appDir: app.appDir,
          dataDir,
          durability: settings.durability,
          functions: [...registry.functions.values()].map((f) => ({ name: f.metadata.name, trigger: f.trigger.type })),
          hostRoutes: routes.map((r) => ({ methods: r.methods, route: r.route.template, access: r.access })),
        },
      })),
      ...subsystems.flatMap((s) => s.routes?.() ?? []).map((r) => afterCommitsDurable(r, commits!)),
    ];
    http.mount(registry, invoker, routes, settings.routePrefix);
    await registry.runHooks('appStart', { hookData: {}, appStartData: {} });
    // Shown once, when generated, straight to stdout (not through the log, which never carries secrets).
    if (keys.generated) process.stdout.write(`\n${keysNotice(keys)}\n\n`);
    logger.info('host started', {
      origin,
      appDir: app.appDir,
      dataDir,
      durability: settings.durability,
      functions: registry.functions.size,
      routes: http.routes.map((r) => `${r.methods.join(',')} /${r.route}`),
      localSettingsApplied: applied,
    });
  } catch (error) {
    await http.close();
    db?.close();
    commits?.close();
    unlock();
    throw error;
  }

  let stopped = false;
  return {
    port,
    origin,
    dataDir,
    registry,
    settings,
    keys,
    async stop() {
      if (stopped) return;
      stopped = true;
      await http.close();
      for (const s of [...subsystems].reverse()) await s.stop();
      await registry.runHooks('appTerminate', { hookData: {} });
      db?.close();
      commits?.close();
      unlock();
    },
  };
}

/**
 * In `fsync` mode a host route (the durable client API, the broker protocol) answers only once every
 * commit made before its answer is on disk, so nothing it acknowledges or reports is lost to a power
 * failure. Routes that wrote nothing share an fsync of a clean file, which costs little.
 */
function afterCommitsDurable(route: InternalRoute, commits: CommitBarrier): InternalRoute {
  if (commits.mode === 'process') return route;
  return {
    ...route,
    async handle(request) {
      const response = await route.handle(request);
      await commits.durable();
      return response;
    },
  };
}

function reportUnsupportedBindings(registry: FunctionRegistry, subsystems: HostSubsystem[], logger: HostLogger): void {
  const supported = new Set([...TRIGGERS_SERVED_BY_HOST, ...subsystems.flatMap((s) => s.bindingTypes)]);
  const reported = new Set<string>();
  for (const fn of registry.functions.values()) {
    for (const [name, binding] of Object.entries(fn.metadata.bindings)) {
      const type = binding.type.toLowerCase();
      if (supported.has(type) || reported.has(type)) continue;
      reported.add(type);
      logger.warn('binding type not implemented by the local host; it is ignored', { type: binding.type, function: fn.metadata.name, binding: name });
    }
  }
}

/** The lines printed when keys were generated: where they are kept and how to show them again. */
export function keysNotice(keys: LoadedHostKeys): string {
  return [
    `Host keys (kept in ${keys.file}, owner-only; show them again with \`factory-host keys\`):`,
    `  master key  (/admin/*, any function):            ${keys.masterKey}`,
    `  system key  (/runtime/webhooks/durabletask/*):   ${keys.systemKey}`,
    `  function key (authLevel 'function' triggers):     ${keys.functionKey}`,
    '  Send a key as the x-functions-key header or the code query parameter.',
  ].join('\n');
}
