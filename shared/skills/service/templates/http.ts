/** `src/http.ts` of a generated service: routing, JSON bodies and problem+json errors on node:http. */
export const HTTP_TS = `import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import type { FieldProblem } from './validation';

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';
const MAX_BODY_BYTES = 1024 * 1024;

/** An error answered as RFC 9457 problem details. */
export class HttpProblem extends Error {
  constructor(
    readonly status: number,
    readonly title: string,
    detail: string,
    readonly errors?: FieldProblem[],
  ) {
    super(detail);
    this.name = 'HttpProblem';
  }
}

export function badRequest(detail: string, errors: FieldProblem[]): HttpProblem {
  return new HttpProblem(400, 'Bad Request', detail, errors);
}

export function notFound(detail: string): HttpProblem {
  return new HttpProblem(404, 'Not Found', detail);
}

export interface RouteRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  /** Values of the \`:name\` segments of the matched route. */
  params: Record<string, string>;
  /** The JSON body; 415 unless the request is JSON, 413 over 1 MiB, 400 when malformed. */
  json(): Promise<unknown>;
}

export interface RouteReply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export type RouteHandler = (request: RouteRequest) => Promise<RouteReply>;

export interface Route {
  method: string;
  /** A path with \`:name\` segments, e.g. \`/booking/v1/appointments/:id\`. */
  pattern: string;
  handler: RouteHandler;
}

function match(pattern: string, path: string): Record<string, string> | undefined {
  const expected = pattern.split('/');
  const actual = path.split('/');
  if (expected.length !== actual.length) return undefined;
  const params: Record<string, string> = {};
  for (let index = 0; index < expected.length; index++) {
    if (expected[index].startsWith(':')) {
      if (actual[index] === '') return undefined;
      try {
        params[expected[index].slice(1)] = decodeURIComponent(actual[index]);
      } catch {
        return undefined;
      }
    } else if (expected[index] !== actual[index]) {
      return undefined;
    }
  }
  return params;
}

async function readJson(request: IncomingMessage): Promise<unknown> {
  const type = (request.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
  if (type !== 'application/json' && !type.endsWith('+json')) throw new HttpProblem(415, 'Unsupported Media Type', 'Send the body as application/json.');
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new HttpProblem(413, 'Content Too Large', 'The body is larger than 1 MiB.');
    chunks.push(chunk as Buffer);
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown;
  } catch {
    throw badRequest('The body is not valid JSON.', [{ path: '', message: 'must be valid JSON' }]);
  }
}

function send(response: ServerResponse, reply: RouteReply): void {
  const problem = reply.status >= 400;
  const body = reply.body === undefined ? undefined : JSON.stringify(reply.body);
  response.writeHead(reply.status, {
    ...(body === undefined ? {} : { 'content-type': (problem ? PROBLEM_CONTENT_TYPE : 'application/json') + '; charset=utf-8' }),
    ...reply.headers,
  });
  response.end(body);
}

function toProblemReply(error: unknown, path: string): RouteReply {
  if (error instanceof HttpProblem) {
    const body = { type: 'about:blank', title: error.title, status: error.status, detail: error.message, instance: path, ...(error.errors ? { errors: error.errors } : {}) };
    return { status: error.status, body };
  }
  console.error(JSON.stringify({ level: 'error', message: 'unhandled error', path, error: error instanceof Error ? error.stack : String(error) }));
  return { status: 500, body: { type: 'about:blank', title: 'Internal Server Error', status: 500, detail: 'An unexpected error occurred.', instance: path } };
}

/** A node:http request listener over \`routes\`: 404 for unknown paths, 405 (with Allow) for unknown methods. */
export function createRouter(routes: readonly Route[]): (request: IncomingMessage, response: ServerResponse) => void {
  return (request, response) => {
    const url = new URL(request.url ?? '/', 'http://localhost');
    const method = request.method ?? 'GET';
    const handle = async (): Promise<RouteReply> => {
      const matches = routes.map((route) => ({ route, params: match(route.pattern, url.pathname) })).filter((candidate) => candidate.params !== undefined);
      if (matches.length === 0) throw notFound('No resource at ' + url.pathname + '.');
      const chosen = matches.find((candidate) => candidate.route.method === method);
      if (!chosen) {
        const allow = [...new Set(matches.map((candidate) => candidate.route.method))].join(', ');
        return { ...toProblemReply(new HttpProblem(405, 'Method Not Allowed', method + ' is not allowed here.'), url.pathname), headers: { allow } };
      }
      return chosen.route.handler({ method, path: url.pathname, query: url.searchParams, headers: request.headers, params: chosen.params ?? {}, json: () => readJson(request) });
    };
    handle()
      .catch((error: unknown) => toProblemReply(error, url.pathname))
      .then((reply) => send(response, reply))
      .catch((error: unknown) => {
        console.error(JSON.stringify({ level: 'error', message: 'could not send the response', error: String(error) }));
        response.destroy();
      });
  };
}
`;
