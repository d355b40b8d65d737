import { pluralize } from '../naming';
import { eventsOn, type ServiceModel } from './model';

const list = (values: readonly string[]) => `[${values.map((value) => `'${value}'`).join(', ')}]`;

/** The property of `Service.entities` for an entity: `InvoiceLine` → `invoiceLines`. */
export function entitiesKey(entity: string): string {
  const plural = pluralize(entity);
  return plural.charAt(0).toLowerCase() + plural.slice(1);
}

/** `src/app.ts`: the composition root, wiring repositories, services, routes and the outbox. */
export function appTs(model: ServiceModel): string {
  const imports = model.entities.map((entity) => `import * as ${entity.camel}Entity from './entities/${entity.kebab}';`);
  const types = model.entities.map((entity) => `    ${entitiesKey(entity.name)}: EntityService<${entity.camel}Entity.${entity.name}>;`);
  const services = model.entities.map(
    (entity) => `    ${entitiesKey(entity.name)}: new EntityService<${entity.camel}Entity.${entity.name}>({
      entity: '${entity.name}',
      fields: ${entity.camel}Entity.FIELDS,
      repository: new InMemoryRepository<${entity.camel}Entity.${entity.name}>(),
      publisher: outbox,
      origin,
      events: { create: ${list(eventsOn(model, entity.name, 'create'))}, update: ${list(eventsOn(model, entity.name, 'update'))}, delete: ${list(eventsOn(model, entity.name, 'delete'))} },
    }),`,
  );
  const routes = model.api
    ? model.api.versions.flatMap((version) =>
        model.entities.map((entity) => `    ...entityRoutes('${model.api!.routePrefix}/${version}/${entity.collection}', entities.${entitiesKey(entity.name)}),`),
      )
    : [];
  return `import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Config } from './config';
import { EntityService } from './entityService';
import { HttpEventPublisher, Inbox, Outbox, type EventPublisher } from './events';
import { createRouter, type Route } from './http';
import { drain, listen } from './lifecycle';
import { InMemoryRepository } from './repository';
import { entityRoutes, eventRoutes, probeRoutes } from './routes';
${imports.join('\n')}${imports.length ? '\n' : ''}
/** Event types this module consumes on \`POST /events\`. */
export const CONSUMED_EVENTS: readonly string[] = ${list(model.consumes)};

/** ${model.module} (${model.kind} of ${model.blueprint}): its entities, outbox, inbox and HTTP server. */
export interface Service {
  readonly config: Config;
  readonly server: http.Server;
  readonly outbox: Outbox;
  readonly inbox: Inbox;
  readonly entities: {
${types.join('\n')}
  };
  /** Starts listening; \`/ready\` answers 200 from then on. */
  start(): Promise<AddressInfo>;
  /** Graceful stop: \`/ready\` turns 503, no new connections, requests in flight finish, the outbox is flushed. */
  stop(): Promise<void>;
}

/** Builds the service; \`downstream\` replaces the HTTP event publisher chosen from \`EVENTS_ENDPOINT\`. */
export function createService(config: Config, downstream?: EventPublisher): Service {
  const outbox = new Outbox(downstream ?? (config.eventsEndpoint ? new HttpEventPublisher(config.eventsEndpoint) : undefined));
  const inbox = new Inbox();
  const origin = { source: config.eventSource, tenantId: config.tenantId, projectId: config.projectId };
  const entities = {
${services.join('\n')}
  };
  let ready = false;
  let retry: NodeJS.Timeout | undefined;
  const routes: Route[] = [
    ...probeRoutes(() => ready),
${routes.join('\n')}${routes.length ? '\n' : ''}    ...eventRoutes(inbox, CONSUMED_EVENTS),
  ];
  const server = http.createServer(createRouter(routes));
  return {
    config,
    server,
    outbox,
    inbox,
    entities,
    async start() {
      const address = await listen(server, config.host, config.port);
      retry = setInterval(() => void outbox.flush(), config.outboxRetryMs);
      retry.unref();
      ready = true;
      return address;
    },
    async stop() {
      ready = false;
      if (retry) clearInterval(retry);
      await drain(server, config.shutdownTimeoutMs);
      await outbox.flush();
    },
  };
}
`;
}
