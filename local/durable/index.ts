import type { HostSettings } from '../settings';
import type { HostContext, HostSubsystem } from '../subsystem';
import { jsonTypedData } from '../core/invoker';
import type { InternalRoute } from '../http/server';
import { clientBindingData, durableClientRoutes } from './clientApi';
import { Dispatcher } from './dispatcher';
import { HistoryCache } from './historyCache';
import { DurableStore } from './store';

/** The local Durable Task backend: orchestrations, activities, timers, events and the client API. */
export class DurableSubsystem implements HostSubsystem {
  readonly bindingTypes = ['orchestrationtrigger', 'activitytrigger', 'durableclient', 'orchestrationclient'];
  private dispatcher: Dispatcher | undefined;
  private routeList: InternalRoute[] = [];
  private origin = '';
  private systemKey = '';

  constructor(private readonly settings: HostSettings) {}

  inputProviders() {
    const provide = () => jsonTypedData(clientBindingData(this.origin, this.settings.hubName, this.systemKey));
    return { durableclient: provide, orchestrationclient: provide };
  }

  start(context: HostContext): void {
    this.origin = context.origin;
    this.systemKey = context.keys.systemKey;
    const store = new DurableStore(context.db);
    const cache = new HistoryCache();
    this.dispatcher = new Dispatcher(
      { store, cache, registry: context.registry, invoker: context.invoker, logger: context.logger },
      this.settings.maxConcurrentOrchestrations,
      this.settings.maxConcurrentActivities,
      context.commits,
    );
    const dispatcher = this.dispatcher;
    this.routeList = durableClientRoutes({ store, registry: context.registry, cache, hubName: this.settings.hubName, systemKey: this.systemKey, wake: (id) => dispatcher.wake(id) }, () => this.origin);
    dispatcher.start();
  }

  routes(): InternalRoute[] {
    return this.routeList;
  }

  async stop(): Promise<void> {
    await this.dispatcher?.stop();
  }
}
