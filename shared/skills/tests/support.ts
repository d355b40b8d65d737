/** `test/support.ts` of a generated service: starting it on a free port and calling it. */
export const SUPPORT_TS = `import http from 'node:http';
import { createService, type Service } from '../src/app';
import { loadConfig } from '../src/config';
import type { EntityService } from '../src/entityService';
import type { EventPublisher } from '../src/events';
import { HttpProblem } from '../src/http';
import type { EntityRecord } from '../src/repository';

export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/* eslint-disable @typescript-eslint/no-explicit-any */
export interface Reply {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: any;
}

/** Starts a service on 127.0.0.1 and a free port. */
export async function startService(env: Record<string, string> = {}, downstream?: EventPublisher): Promise<{ service: Service; base: string }> {
  const service = createService(loadConfig({ PORT: '0', HOST: '127.0.0.1', ...env }), downstream);
  const address = await service.start();
  return { service, base: 'http://127.0.0.1:' + address.port };
}

/** One HTTP request on a fresh connection; a JSON (or problem+json) body is parsed. */
export function request(base: string, method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Reply> {
  const payload = body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body);
  const contentHeaders: Record<string, string> = payload === undefined ? {} : { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(payload)) };
  return new Promise<Reply>((resolve, reject) => {
    const outgoing = http.request(base + path, { method, agent: false, headers: { ...contentHeaders, ...headers } }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        resolve({ status: response.statusCode ?? 0, headers: response.headers, body: text ? JSON.parse(text) : undefined });
      });
      response.on('error', reject);
    });
    outgoing.on('error', reject);
    outgoing.end(payload);
  });
}

/** The operations of one entity, over HTTP or straight on its EntityService, answering like the HTTP API. */
export interface Driver {
  create(body: unknown): Promise<Reply>;
  get(id: string): Promise<Reply>;
  list(limit: number, continuation?: string): Promise<Reply>;
  update(id: string, body: unknown, ifMatch?: string): Promise<Reply>;
  remove(id: string): Promise<Reply>;
}

export function httpDriver(base: string, path: string): Driver {
  return {
    create: (body) => request(base, 'POST', path, body),
    get: (id) => request(base, 'GET', path + '/' + id),
    list: (limit, continuation) => request(base, 'GET', path + '?limit=' + limit + (continuation === undefined ? '' : '&continuation=' + encodeURIComponent(continuation))),
    update: (id, body, ifMatch) => request(base, 'PUT', path + '/' + id, body, ifMatch === undefined ? {} : { 'if-match': ifMatch }),
    remove: (id) => request(base, 'DELETE', path + '/' + id),
  };
}

async function answer(status: number, work: () => Promise<unknown>): Promise<Reply> {
  try {
    return { status, headers: {}, body: await work() };
  } catch (error) {
    if (!(error instanceof HttpProblem)) throw error;
    return { status: error.status, headers: {}, body: { status: error.status, title: error.title, detail: error.message, ...(error.errors ? { errors: error.errors } : {}) } };
  }
}

/** For modules without an HTTP API: the same operations on the entity service; \`continuation\` is the last id. */
export function directDriver<T extends EntityRecord>(service: EntityService<T>): Driver {
  return {
    create: (body) => answer(201, () => service.create(body)),
    get: (id) => answer(200, () => service.get(id)),
    list: (limit, continuation) => answer(200, async () => {
      const page = await service.list(limit, continuation);
      return { items: page.items, ...(page.after ? { continuation: page.after } : {}) };
    }),
    update: (id, body, ifMatch) => answer(200, () => service.update(id, body, ifMatch)),
    remove: (id) => answer(204, async () => {
      await service.delete(id);
      return undefined;
    }),
  };
}
`;
