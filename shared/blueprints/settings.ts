import { usesServiceBus } from './names';
import type { LocatedProblem } from './problems';
import { asList, asObject, asText, type ModuleView } from './rawDocument';

/**
 * Settings the factory cannot apply are refused, never ignored: events need Service Bus (topics and
 * subscriptions; storage queues have neither), queue scaling needs a Service Bus entity to watch,
 * and HTTP scaling needs ingress and is the only scaler of a Kubernetes module (the KEDA HTTP
 * add-on's `HTTPScaledObject` owns the scaling of its Deployment). Each trigger kind appears once,
 * except `queueLength` once per queue.
 */
export function checkSettings(modules: readonly ModuleView[]): LocatedProblem[] {
  return modules.flatMap((module) => [...checkMessaging(module), ...checkTriggers(module)]);
}

function checkMessaging(module: ModuleView): LocatedProblem[] {
  const queue = asText(asObject(module.raw.infrastructure)?.queue);
  const events = asObject(module.raw.events);
  const hasEvents = ['emits', 'consumes'].some((list) => asList(events?.[list]).length > 0);
  if (!hasEvents || queue === undefined || queue === 'azure-service-bus') return [];
  return [
    {
      path: [...module.path, 'infrastructure', 'queue'],
      code: 'UnsupportedSetting',
      message: `${module.name ?? 'This module'} emits or consumes events, which travel on Service Bus topics; '${queue}' cannot carry them. Use azure-service-bus (the default for modules with events) or remove the events.`,
    },
  ];
}

function checkTriggers(module: ModuleView): LocatedProblem[] {
  const triggers = asList(asObject(module.raw.scaling)?.triggers).map((value, index) => ({ index, raw: asObject(value) }));
  const path = (index: number, key?: string) => [...module.path, 'scaling', 'triggers', index, ...(key ? [key] : [])];
  const problems: LocatedProblem[] = [];
  const seen = new Set<string>();
  const name = module.name ?? 'This module';
  for (const { index, raw } of triggers) {
    const type = asText(raw?.type);
    if (!type) continue;
    const identity = type === 'queueLength' ? `${type}:${asText(raw?.queue) ?? ''}` : type;
    if (seen.has(identity)) problems.push({ path: path(index), code: 'DuplicateListEntry', message: `A ${type} trigger${type === 'queueLength' ? ' for this queue' : ''} is listed twice.` });
    seen.add(identity);
    if ((type === 'queue' || type === 'queueLength') && !usesServiceBus(module)) {
      problems.push({ path: path(index, 'type'), code: 'UnsupportedSetting', message: `${name} scales on queue length, which needs Service Bus; set infrastructure.queue: azure-service-bus.` });
    }
    if (type === 'http' && module.raw.kind === 'worker') {
      problems.push({ path: path(index, 'type'), code: 'UnsupportedSetting', message: `${name} is a worker and has no ingress to count HTTP requests on; scale it on cpu, memory or queue length.` });
    }
    if (type === 'http' && triggers.length > 1) {
      problems.push({ path: path(index, 'type'), code: 'UnsupportedSetting', message: `An http trigger is the only trigger of a module: the KEDA HTTP add-on scales its Deployment alone; remove the other triggers or this one.` });
    }
  }
  return problems;
}
