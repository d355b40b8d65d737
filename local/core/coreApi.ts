import Module from 'node:module';
import type {
  FunctionCallback,
  FunctionMetadata,
  HookCallback,
  HookName,
  ProgrammingModel,
  RegisteredFunction,
  RpcLogLevel,
} from './types';

/**
 * What the app registered through `@azure/functions`: its programming model, its functions and
 * its hooks. Filled while the app's entry files load.
 */
export class FunctionRegistry {
  programmingModel: ProgrammingModel | undefined;
  readonly functions = new Map<string, RegisteredFunction>();
  readonly hooks = new Map<HookName, HookCallback[]>();

  register(metadata: FunctionMetadata, handler: FunctionCallback): RegisteredFunction {
    const key = metadata.name.toLowerCase();
    if (this.functions.has(key)) {
      throw new Error(`A function named "${metadata.name}" is already registered.`);
    }
    const entry = Object.entries(metadata.bindings).find(([, b]) => /trigger$/i.test(b.type));
    if (!entry) throw new Error(`Function "${metadata.name}" has no trigger binding.`);
    const registered: RegisteredFunction = { metadata, handler, triggerName: entry[0], trigger: entry[1] };
    this.functions.set(key, registered);
    return registered;
  }

  byTrigger(type: string): RegisteredFunction[] {
    return [...this.functions.values()].filter((f) => f.trigger.type.toLowerCase() === type.toLowerCase());
  }

  get(name: string): RegisteredFunction | undefined {
    return this.functions.get(name.toLowerCase());
  }

  async runHooks(name: HookName, context: Record<string, unknown>): Promise<void> {
    for (const hook of this.hooks.get(name) ?? []) await hook(context);
  }
}

export type SystemLog = (level: RpcLogLevel, category: string, message: string) => void;

/** The object `require('@azure/functions-core')` returns inside the local host. */
export function createCoreApi(registry: FunctionRegistry, log: SystemLog) {
  const disposable = (dispose: () => void) => ({ dispose });
  return {
    version: '3.10.1',
    hostVersion: '4.1000.0',
    setProgrammingModel(model: ProgrammingModel): void {
      registry.programmingModel = model;
    },
    getProgrammingModel(): ProgrammingModel | undefined {
      return registry.programmingModel;
    },
    registerFunction(metadata: FunctionMetadata, handler: FunctionCallback) {
      registry.register(metadata, handler);
      return disposable(() => registry.functions.delete(metadata.name.toLowerCase()));
    },
    registerHook(name: HookName, callback: HookCallback) {
      const list = registry.hooks.get(name) ?? [];
      list.push(callback);
      registry.hooks.set(name, list);
      return disposable(() => list.splice(list.indexOf(callback), 1));
    },
    log(level: RpcLogLevel, category: string, message: string): void {
      log(level, category, message);
    },
    Disposable: class {
      constructor(private readonly callOnDispose: () => void) {}
      dispose(): void {
        this.callOnDispose();
      }
    },
  };
}

/**
 * Makes `require('@azure/functions-core')` resolve to `api` for every module loaded after this
 * call, the way the Node worker does in Azure.
 */
export function installCoreApi(api: object): void {
  const mod = Module as unknown as {
    _load: (request: string, parent: unknown, isMain: boolean) => unknown;
  };
  const originalLoad = mod._load;
  mod._load = function load(request: string, parent: unknown, isMain: boolean) {
    if (request === '@azure/functions-core') return api;
    return originalLoad.call(this, request, parent, isMain);
  };
}
