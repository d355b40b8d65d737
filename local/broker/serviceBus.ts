import { fromTypedData, OutputBindingSink } from '../core/invoker';
import type { FunctionRegistry } from '../core/coreApi';
import type { HookCallback, HookName } from '../core/types';
import type { HostRequest, InternalRoute } from '../http/server';
import type { HostSettings } from '../settings';
import type { HostContext, HostSubsystem } from '../subsystem';
import { adminRoutes } from './adminRoutes';
import { namespaceKey, scopeOf } from './namespaces';
import { restProtocolRoutes } from './restProtocol';
import { BrokerMessage, LOCAL_BROKER_KEY, LocalBroker } from './contract';
import { Dispatcher, Listener } from './dispatcher';
import { EntityDirectory } from './entities';
import { BrokerInspector } from './inspection';
import { MessageStore } from './messageStore';
import { readBrokerOptions } from './options';
import { migrateBroker } from './schema';

const TRACE_MEMORY = 1000;

/** Resolves `%AppSetting%` references in a binding property, as the Functions host does. */
export function resolveBindingExpression(value: unknown): string {
  return String(value ?? '').replace(/%([^%]+)%/g, (_, name: string) => {
    const setting = process.env[name];
    if (setting === undefined) throw new Error(`App setting ${name} is not set.`);
    return setting;
  });
}

const asArray = <T>(value: T | T[]): T[] => (Array.isArray(value) ? value : [value]);

/** Adds a host-side hook to the app's hook list; returns its removal. */
function addHook(registry: FunctionRegistry, name: HookName, hook: HookCallback): () => void {
  const list = registry.hooks.get(name) ?? [];
  list.push(hook);
  registry.hooks.set(name, list);
  return () => {
    const i = list.indexOf(hook);
    if (i >= 0) list.splice(i, 1);
  };
}

/**
 * The embedded Service Bus: queues and topics in the host's SQLite, peek-lock delivery to
 * `serviceBusTrigger` functions, the `serviceBus` output binding, the in-process
 * {@link LocalBroker} and the `/admin/servicebus` routes.
 */
export class ServiceBusBroker implements HostSubsystem, LocalBroker {
  readonly bindingTypes = ['servicebustrigger', 'servicebus'];
  private parts: { store: MessageStore; entities: EntityDirectory; inspector: BrokerInspector; dispatcher: Dispatcher } | undefined;
  private readonly traceParents = new Map<string, string>();
  private unhooks: (() => void)[] = [];
  restEndpoint?: { url: string; key: string; namespaceKey(namespace: string): string };
  private masterKey?: string;

  constructor(private readonly settings: HostSettings) {}

  migrate(db: HostContext['db']): void {
    migrateBroker(db);
  }

  start(context: HostContext): void {
    const { db, logger, registry } = context;
    const options = readBrokerOptions(this.settings.maxConcurrentMessages, context.hostJson);
    const warn = (message: string, fields: Record<string, unknown>) => logger.warn(message, fields);
    const entities = new EntityDirectory(db, options.maxDeliveryCount, warn);
    const store = new MessageStore(db, entities, options, warn);
    const listeners = this.declareEntities(registry, entities, warn);
    const released = store.releaseOrphanedLocks(Date.now());
    if (released.released || released.deadLettered) logger.warn('service bus locks left by a stopped host were released', released);
    const dispatcher = new Dispatcher(store, context.invoker, logger, options, listeners);
    this.parts = { store, entities, inspector: new BrokerInspector(db, entities), dispatcher };
    // Like the worker, deliver only once the app's appStart hooks have run (this hook runs last).
    this.unhooks.push(addHook(registry, 'appStart', () => dispatcher.start()));
    this.unhooks.push(addHook(registry, 'preInvocation', this.traceParentHook(registry)));
    this.masterKey = context.keys.masterKey;
    this.restEndpoint = { url: context.origin, key: context.keys.masterKey, namespaceKey: (namespace) => namespaceKey(context.keys.masterKey, namespace) };
    (globalThis as Record<symbol, unknown>)[LOCAL_BROKER_KEY] = this;
  }

  outputSinks(): Record<string, OutputBindingSink> {
    return {
      servicebus: (fn, bindingName, data, invocationId) => {
        const binding = fn.metadata.bindings[bindingName];
        const target = resolveBindingExpression(binding?.queueName ?? binding?.topicName);
        const traceParent = this.traceParents.get(invocationId);
        this.traceParents.delete(invocationId);
        const applicationProperties = traceParent ? { traceparent: traceParent } : undefined;
        this.enqueue(target, asArray(fromTypedData(data)).map((body) => ({ body, applicationProperties })));
      },
    };
  }

  routes(): InternalRoute[] {
    const scope = (request: HostRequest) => scopeOf(request, this.masterKey ?? '');
    const protocol = restProtocolRoutes({ store: () => this.running().store, entities: () => this.running().entities, wake: () => this.running().dispatcher.wake(), scope });
    return [...protocol, ...adminRoutes({
      scope,
      send: (entity, messages, enqueueAt) => this.enqueue(entity, messages, enqueueAt),
      inspector: () => this.running().inspector,
      entities: () => this.running().entities,
      wake: () => this.running().dispatcher.wake(),
    })];
  }

  async send(entity: string, messages: BrokerMessage | BrokerMessage[]): Promise<void> {
    this.enqueue(entity, asArray(messages));
  }

  async schedule(entity: string, messages: BrokerMessage | BrokerMessage[], enqueueAt: Date): Promise<number[]> {
    if (!(enqueueAt instanceof Date) || Number.isNaN(enqueueAt.getTime())) throw new TypeError('enqueueAt must be a valid Date.');
    return this.enqueue(entity, asArray(messages), enqueueAt.getTime());
  }

  async cancelScheduled(entity: string, sequenceNumbers: number | number[]): Promise<void> {
    this.running().store.cancelScheduled(entity, asArray(sequenceNumbers), Date.now());
  }

  async stop(): Promise<void> {
    const g = globalThis as Record<symbol, unknown>;
    if (g[LOCAL_BROKER_KEY] === this) delete g[LOCAL_BROKER_KEY];
    for (const unhook of this.unhooks.splice(0)) unhook();
    await this.parts?.dispatcher.stop();
    this.parts = undefined;
  }

  /** Writes the messages (one transaction) and wakes the dispatcher; returns their sequence numbers. */
  private enqueue(entity: string, messages: BrokerMessage[], enqueueAt?: number): number[] {
    const { store, dispatcher } = this.running();
    const sequenceNumbers = store.send(entity, messages, enqueueAt);
    dispatcher.wake();
    return sequenceNumbers;
  }

  private running(): NonNullable<ServiceBusBroker['parts']> {
    if (!this.parts) throw new Error('The local Service Bus broker is not running.');
    return this.parts;
  }

  /** Creates the entities the app's triggers and outputs name; returns the trigger listeners. */
  private declareEntities(registry: FunctionRegistry, entities: EntityDirectory, warn: (m: string, f: Record<string, unknown>) => void): Listener[] {
    const listeners: Listener[] = [];
    for (const fn of registry.functions.values()) {
      try {
        for (const binding of Object.values(fn.metadata.bindings)) {
          if (binding.type.toLowerCase() !== 'servicebus' || binding.direction !== 'out') continue;
          if (binding.topicName) entities.declareTopic(resolveBindingExpression(binding.topicName));
          else entities.declareQueue(resolveBindingExpression(binding.queueName));
        }
        if (fn.trigger.type.toLowerCase() !== 'servicebustrigger') continue;
        const t = fn.trigger;
        const entity = t.queueName
          ? entities.declareQueue(resolveBindingExpression(t.queueName))
          : entities.declareSubscription(resolveBindingExpression(t.topicName), resolveBindingExpression(t.subscriptionName));
        listeners.push({ fn, entity: entity.name, many: String(t.cardinality ?? 'one').toLowerCase() === 'many' });
      } catch (error) {
        warn('service bus binding ignored', { function: fn.metadata.name, error: (error as Error).message });
      }
    }
    return listeners;
  }

  /** Notes the trace context of invocations that have Service Bus outputs, so sent messages carry it. */
  private traceParentHook(registry: FunctionRegistry): HookCallback {
    return (context) => {
      const ctx = context.invocationContext as { invocationId?: string; functionName?: string; traceContext?: { traceParent?: string } } | undefined;
      const fn = ctx?.functionName ? registry.get(ctx.functionName) : undefined;
      const traceParent = ctx?.traceContext?.traceParent;
      if (!fn || !ctx?.invocationId || !traceParent) return;
      if (!Object.values(fn.metadata.bindings).some((b) => b.type.toLowerCase() === 'servicebus' && b.direction === 'out')) return;
      this.traceParents.set(ctx.invocationId, traceParent);
      if (this.traceParents.size > TRACE_MEMORY) this.traceParents.delete(this.traceParents.keys().next().value!);
    };
  }
}
