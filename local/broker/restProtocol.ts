import { HostRequest, HostResponse, internalRoute, InternalRoute, problem } from '../http/server';
import type { EntityScope } from './namespaces';
import { messageView, type MessageRow } from './codec';
import { BrokerError, type EntityDirectory } from './entities';
import type { MessageStore } from './messageStore';

/** What the REST protocol needs from the running broker. */
export interface BrokerProtocolParts {
  store(): MessageStore;
  entities(): EntityDirectory;
  wake(): void;
  /** How the request's key names entities (its namespace, or all of them for the master key). */
  scope(request: HostRequest): EntityScope;
}

const POLL_MS = 20;
const MAX_WAIT_SECONDS = 30;
const TITLES: Record<number, string> = { 400: 'Bad Request', 404: 'Not Found', 410: 'Gone' };

function guarded(handle: (request: HostRequest) => Promise<HostResponse> | HostResponse): InternalRoute['handle'] {
  return async (request) => {
    try {
      return await handle(request);
    } catch (error) {
      if (error instanceof BrokerError) return problem(error.status, TITLES[error.status] ?? 'Error', error.message);
      throw error;
    }
  };
}

function jsonBody(request: HostRequest): Record<string, unknown> {
  if (!request.body.length) return {};
  try {
    const value = JSON.parse(request.body.toString('utf8')) as unknown;
    return value && typeof value === 'object' ? (value as Record<string, unknown>) : {};
  } catch {
    throw new BrokerError(400, 'The request body must be JSON.');
  }
}

function boundedInteger(request: HostRequest, name: string, fallback: number, min: number, max: number): number {
  const raw = request.url.searchParams.get(name);
  const value = raw === null ? fallback : Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) throw new BrokerError(400, `${name} must be an integer from ${min} to ${max}.`);
  return value;
}

function text(value: unknown, fallback: string): string {
  return typeof value === 'string' && value ? value : fallback;
}

/**
 * The receive side of the local broker over HTTP, modelled on the Service Bus REST API, so a
 * process outside the host (a generated service) uses topics and subscriptions the way it does
 * in Azure. Under `/admin/servicebus/` (the master key guards it):
 *
 * - `PUT topics/{topic}` → 201: declares a topic.
 * - `PUT topics/{topic}/subscriptions/{subscription}` `{ maxDeliveryCount? }` → 201: declares a subscription.
 * - `POST {topic}/messages` (the admin send route) publishes to every subscription.
 * - `POST {entity}/messages/head?timeout=<s ≤ 30>&max=<1–100>` → 200 `{ messages: [{ sequenceNumber,
 *   lockToken, messageId, deliveryCount, body, … }] }` peek-locked, or 204 when none came within the timeout.
 * - `DELETE {entity}/messages/{sequenceNumber}/{lockToken}` → 204: complete.
 * - `PUT {entity}/messages/{sequenceNumber}/{lockToken}` → 204: abandon (delivered again after a
 *   back-off; dead-lettered once the delivery count reaches the max delivery count).
 * - `POST {entity}/messages/{sequenceNumber}/{lockToken}/deadletter` `{ reason, description }` → 204.
 * A lock that is no longer held answers 410. Locks expire after the host's lock duration.
 * These routes open with the master key or a namespace key (`./namespaces.ts`); with a namespace key
 * every entity name is the caller's name inside its namespace.
 */
export function restProtocolRoutes(broker: BrokerProtocolParts): InternalRoute[] {
  const locked = (request: HostRequest): MessageRow => {
    const entity = broker.scope(request).name(request.params.entity ?? '');
    const row = broker.store().lockedRow(entity, Number(request.params.sequenceNumber), request.params.lockToken ?? '');
    if (!row) throw new BrokerError(410, `Message ${request.params.sequenceNumber} of ${entity} is not locked by this token (settled, or its lock expired).`);
    return row;
  };
  const settled = (): HostResponse => {
    broker.wake();
    return { status: 204 };
  };
  return [
    internalRoute(
      ['PUT'],
      'admin/servicebus/topics/{topic}',
      guarded((request) => {
        const scope = broker.scope(request);
        return { status: 201, body: { entity: scope.local(broker.entities().declareTopic(scope.name(request.params.topic ?? '')).name) } };
      }),
      'broker',
    ),
    internalRoute(
      ['PUT'],
      'admin/servicebus/topics/{topic}/subscriptions/{subscription}',
      guarded((request) => {
        const { maxDeliveryCount } = jsonBody(request);
        if (maxDeliveryCount !== undefined && !(Number.isInteger(maxDeliveryCount) && (maxDeliveryCount as number) >= 1)) throw new BrokerError(400, 'maxDeliveryCount must be an integer >= 1.');
        const scope = broker.scope(request);
        const entity = broker.entities().declareSubscription(scope.name(request.params.topic ?? ''), request.params.subscription ?? '');
        if (maxDeliveryCount !== undefined) broker.entities().setMaxDeliveryCount(entity.name, maxDeliveryCount as number);
        return { status: 201, body: { entity: scope.local(entity.name), maxDeliveryCount: broker.entities().maxDeliveryCount(entity.name) } };
      }),
      'broker',
    ),
    internalRoute(
      ['POST'],
      'admin/servicebus/{*entity}/messages/head',
      guarded(async (request) => {
        const entity = broker.entities().get(broker.scope(request).name(request.params.entity ?? ''));
        if (!entity || entity.kind === 'topic') throw new BrokerError(404, `No queue or subscription "${request.params.entity}"; declare it first.`);
        const deadline = Date.now() + boundedInteger(request, 'timeout', 0, 0, MAX_WAIT_SECONDS) * 1000;
        const max = boundedInteger(request, 'max', 1, 1, 100);
        for (;;) {
          broker.store().releaseExpiredLocks(entity.name, Date.now());
          const rows = broker.store().lock(entity.name, max, Date.now());
          if (rows.length) return { status: 200, body: { messages: rows.map((row) => ({ ...messageView(row), lockToken: row.lock_token })) } };
          if (Date.now() >= deadline) return { status: 204 };
          await new Promise((resolve) => setTimeout(resolve, POLL_MS));
        }
      }),
      'broker',
    ),
    internalRoute(
      ['DELETE'],
      'admin/servicebus/{*entity}/messages/{sequenceNumber:long}/{lockToken}',
      guarded((request) => {
        broker.store().complete([locked(request)]);
        return settled();
      }),
      'broker',
    ),
    internalRoute(
      ['PUT'],
      'admin/servicebus/{*entity}/messages/{sequenceNumber:long}/{lockToken}',
      guarded((request) => {
        broker.store().abandon([locked(request)], text(jsonBody(request).reason, 'abandoned by the receiver'), Date.now());
        return settled();
      }),
      'broker',
    ),
    internalRoute(
      ['POST'],
      'admin/servicebus/{*entity}/messages/{sequenceNumber:long}/{lockToken}/deadletter',
      guarded((request) => {
        const row = locked(request);
        const body = jsonBody(request);
        broker.store().deadLetter(row, text(body.reason, 'DeadLetteredByReceiver'), text(body.description, ''), Date.now());
        return settled();
      }),
      'broker',
    ),
  ];
}
