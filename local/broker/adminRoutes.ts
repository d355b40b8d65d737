import { HostRequest, HostResponse, internalRoute, InternalRoute, problem } from '../http/server';
import type { BrokerMessage } from './contract';
import { BrokerError, EntityDirectory } from './entities';
import type { BrokerInspector } from './inspection';
import type { EntityScope } from './namespaces';

/** What the admin routes need from the running broker. */
export interface BrokerAdmin {
  send(entity: string, messages: BrokerMessage[], enqueueAt?: number): number[];
  inspector(): BrokerInspector;
  entities(): EntityDirectory;
  /** Lets the dispatcher see a message that became visible. */
  wake(): void;
  /** How the request's key names entities (its namespace, or all of them for the master key). */
  scope(request: HostRequest): EntityScope;
}

type AdminMessage = BrokerMessage & { scheduledEnqueueTimeUtc?: string };

const TITLES: Record<number, string> = { 400: 'Bad Request', 404: 'Not Found', 415: 'Unsupported Media Type' };

function guarded(handle: (request: HostRequest) => HostResponse): InternalRoute['handle'] {
  return (request) => {
    try {
      return handle(request);
    } catch (error) {
      if (error instanceof BrokerError) return problem(error.status, TITLES[error.status] ?? 'Error', error.message);
      throw error;
    }
  };
}

function jsonBody(request: HostRequest): unknown {
  try {
    return JSON.parse(request.body.toString('utf8'));
  } catch {
    throw new BrokerError(400, 'The request body must be JSON.');
  }
}

function entityOf(request: HostRequest): string {
  const entity = request.params.entity;
  if (!entity) throw new BrokerError(404, 'Name a queue, topic or topic/subscriptions/subscription.');
  return entity;
}

function paging(request: HostRequest): { limit: number; from: number } {
  const limit = Number(request.url.searchParams.get('limit') ?? 100);
  const from = Number(request.url.searchParams.get('fromSequenceNumber') ?? 0);
  if (!Number.isInteger(limit) || limit < 1 || limit > 1000) throw new BrokerError(400, 'limit must be an integer from 1 to 1000.');
  if (!Number.isInteger(from) || from < 0) throw new BrokerError(400, 'fromSequenceNumber must be a non-negative integer.');
  return { limit, from };
}

/**
 * `/admin/servicebus/...`: `{entity}` is a queue name or `topic/subscriptions/sub`, written
 * with plain slashes or URL-encoded (`topic%2Fsubscriptions%2Fsub`).
 */
export function adminRoutes(broker: BrokerAdmin): InternalRoute[] {
  return [
    internalRoute(
      ['GET'],
      'admin/servicebus/entities',
      guarded((request) => {
        const scope = broker.scope(request);
        const local = (name: string | undefined) => (name === undefined ? undefined : scope.local(name));
        const entities = broker.inspector().summaries().filter((entity) => scope.sees(entity.name)).map((entity) => ({ ...entity, name: scope.local(entity.name), ...(entity.topic ? { topic: local(entity.topic) } : {}) }));
        return { status: 200, body: { entities } };
      }),
      'broker',
    ),
    internalRoute(
      ['POST'],
      'admin/servicebus/{*entity}/messages',
      guarded((request) => {
        const scope = broker.scope(request);
        const entity = scope.name(entityOf(request));
        const body = jsonBody(request);
        const messages = (Array.isArray(body) ? body : [body]) as AdminMessage[];
        if (!messages.length) throw new BrokerError(400, 'Send at least one message.');
        const now: BrokerMessage[] = [];
        const sequenceNumbers: number[] = [];
        for (const message of messages) {
          if (!message || typeof message !== 'object') throw new BrokerError(400, 'Each message is an object with a body.');
          const { scheduledEnqueueTimeUtc, ...rest } = message;
          if (scheduledEnqueueTimeUtc === undefined) {
            now.push(rest);
            continue;
          }
          const at = Date.parse(scheduledEnqueueTimeUtc);
          if (Number.isNaN(at)) throw new BrokerError(400, 'scheduledEnqueueTimeUtc must be an ISO date-time.');
          sequenceNumbers.push(...broker.send(entity, [rest], at));
        }
        if (now.length) sequenceNumbers.push(...broker.send(entity, now));
        return { status: 201, body: { entity: scope.local(entity), sequenceNumbers } };
      }),
      'broker',
    ),
    internalRoute(
      ['GET'],
      'admin/servicebus/{*entity}/messages',
      guarded((request) => {
        const { limit, from } = paging(request);
        const entity = entityOf(request);
        return { status: 200, body: { entity, messages: broker.inspector().peek(entity, limit, from) } };
      }),
    ),
    internalRoute(
      ['GET'],
      'admin/servicebus/{*entity}/deadletters',
      guarded((request) => {
        const { limit, from } = paging(request);
        const entity = entityOf(request);
        return { status: 200, body: { entity, messages: broker.inspector().deadLetters(entity, limit, from) } };
      }),
    ),
    internalRoute(
      ['POST'],
      'admin/servicebus/{*entity}/deadletters/{sequenceNumber:long}/resubmit',
      guarded((request) => {
        const entity = entityOf(request);
        const resubmitted = Number(request.params.sequenceNumber);
        const sequenceNumber = broker.inspector().resubmit(entity, resubmitted);
        broker.wake();
        return { status: 200, body: { entity, resubmitted, sequenceNumber } };
      }),
    ),
    internalRoute(
      ['PUT'],
      'admin/servicebus/{*entity}/settings',
      guarded((request) => {
        const entity = entityOf(request);
        const { maxDeliveryCount } = (jsonBody(request) ?? {}) as { maxDeliveryCount?: unknown };
        if (maxDeliveryCount !== null && !(Number.isInteger(maxDeliveryCount) && (maxDeliveryCount as number) >= 1)) {
          throw new BrokerError(400, 'maxDeliveryCount must be an integer >= 1, or null for the default.');
        }
        broker.entities().setMaxDeliveryCount(entity, maxDeliveryCount as number | null);
        return { status: 200, body: broker.inspector().summaries().find((s) => s.name.toLowerCase() === entity.toLowerCase()) };
      }),
    ),
  ];
}
