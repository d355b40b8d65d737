/** `src/routes.ts` of a generated service: the contract's routes over the entity services. */
export const ROUTES_TS = `import type { EntityService } from './entityService';
import { etagOf } from './entityService';
import { traceIdOf, type CloudEvent, type Inbox } from './events';
import { HttpProblem, badRequest, type Route, type RouteRequest } from './http';
import type { EntityRecord } from './repository';
import { isUuid, type FieldProblem } from './validation';

export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 100;

/** The \`continuation\` token of a page: the last id, base64url-encoded (opaque to clients). */
export function toContinuation(after: string): string {
  return Buffer.from(after, 'utf8').toString('base64url');
}

function readPaging(query: URLSearchParams): { limit: number; after?: string } {
  const problems: FieldProblem[] = [];
  let limit = DEFAULT_PAGE_SIZE;
  const limitText = query.get('limit');
  if (limitText !== null) {
    limit = Number(limitText);
    if (!/^[0-9]+$/.test(limitText) || limit < 1 || limit > MAX_PAGE_SIZE) problems.push({ path: 'limit', message: 'must be an integer from 1 to ' + MAX_PAGE_SIZE });
  }
  const token = query.get('continuation');
  const after = token === null ? undefined : Buffer.from(token, 'base64url').toString('utf8');
  if (after !== undefined && !isUuid(after)) problems.push({ path: 'continuation', message: 'is not a token this service issued' });
  if (problems.length > 0) throw badRequest('The query is invalid.', problems);
  return { limit, after };
}

function ifMatch(request: RouteRequest): string | undefined {
  return request.headers['if-match'];
}

function traceId(request: RouteRequest): string {
  const header = request.headers.traceparent;
  return traceIdOf(Array.isArray(header) ? header[0] : header);
}

/** List, create, read, replace and delete under \`basePath\` (\`/booking/v1/appointments\`). */
export function entityRoutes<T extends EntityRecord>(basePath: string, service: EntityService<T>): Route[] {
  const itemPath = basePath + '/:id';
  return [
    {
      method: 'GET',
      pattern: basePath,
      handler: async (request) => {
        const { limit, after } = readPaging(request.query);
        const page = await service.list(limit, after);
        return { status: 200, body: { items: page.items, ...(page.after ? { continuation: toContinuation(page.after) } : {}) } };
      },
    },
    {
      method: 'POST',
      pattern: basePath,
      handler: async (request) => {
        const entity = await service.create(await request.json(), traceId(request));
        return { status: 201, body: entity, headers: { location: basePath + '/' + entity.id, etag: etagOf(entity) } };
      },
    },
    {
      method: 'GET',
      pattern: itemPath,
      handler: async (request) => {
        const entity = await service.get(request.params.id);
        return { status: 200, body: entity, headers: { etag: etagOf(entity) } };
      },
    },
    {
      method: 'PUT',
      pattern: itemPath,
      handler: async (request) => {
        const entity = await service.update(request.params.id, await request.json(), ifMatch(request), traceId(request));
        return { status: 200, body: entity, headers: { etag: etagOf(entity) } };
      },
    },
    {
      method: 'DELETE',
      pattern: itemPath,
      handler: async (request) => {
        await service.delete(request.params.id, ifMatch(request), traceId(request));
        return { status: 204 };
      },
    },
  ];
}

/** \`/healthz\` (the process runs) and \`/ready\` (503 until started and again once stopping). */
export function probeRoutes(isReady: () => boolean): Route[] {
  return [
    { method: 'GET', pattern: '/healthz', handler: async () => ({ status: 200, body: { status: 'ok' } }) },
    {
      method: 'GET',
      pattern: '/ready',
      handler: async () => {
        if (!isReady()) throw new HttpProblem(503, 'Service Unavailable', 'The service is starting or shutting down.');
        return { status: 200, body: { status: 'ok' } };
      },
    },
  ];
}

function toConsumedEvent(body: unknown, consumes: readonly string[]): CloudEvent {
  const problems: FieldProblem[] = [];
  const event = (body ?? {}) as Record<string, unknown>;
  if (body === null || typeof body !== 'object' || Array.isArray(body)) throw badRequest('The body is not a CloudEvent.', [{ path: '', message: 'must be a JSON object' }]);
  if (event.specversion !== '1.0') problems.push({ path: '/specversion', message: 'must be 1.0' });
  for (const member of ['id', 'source', 'type']) {
    if (typeof event[member] !== 'string' || event[member] === '') problems.push({ path: '/' + member, message: 'must be a non-empty string' });
  }
  if (typeof event.type === 'string' && event.type !== '' && !consumes.includes(event.type)) {
    problems.push({ path: '/type', message: 'must be one of the consumed events: ' + consumes.join(', ') });
  }
  if (problems.length > 0) throw badRequest('The CloudEvent is invalid.', problems);
  return event as unknown as CloudEvent;
}

/** \`POST /events\`: consumed CloudEvents (structured mode); 202 on first delivery and on redelivery. */
export function eventRoutes(inbox: Inbox, consumes: readonly string[]): Route[] {
  return [
    {
      method: 'POST',
      pattern: '/events',
      handler: async (request) => {
        const event = toConsumedEvent(await request.json(), consumes);
        const first = inbox.accept(event);
        return { status: 202, body: { id: event.id, duplicate: !first } };
      },
    },
  ];
}
`;
