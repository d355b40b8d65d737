import http, { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { FunctionRegistry } from '../core/coreApi';
import { fromTypedData, Invoker } from '../core/invoker';
import type { RegisteredFunction, RpcHttpData } from '../core/types';
import type { HostLogger } from '../logger';
import { toSetCookie } from './cookies';
import { PlainResponse, toPlainResponse } from './plainResponse';
import { byPrecedence, compileRoute, CompiledRoute } from './routeTemplate';

/** A request the host answers itself (durable webhooks, admin routes). */
export interface HostRequest {
  method: string;
  url: URL;
  headers: IncomingMessage['headers'];
  body: Buffer;
  params: Record<string, string>;
}

export interface HostResponse {
  status: number;
  headers?: Record<string, string | string[]>;
  /** Objects are sent as JSON. */
  body?: unknown;
}

export interface InternalRoute {
  methods: string[];
  route: CompiledRoute;
  handle(request: HostRequest): Promise<HostResponse> | HostResponse;
}

export function internalRoute(methods: string[], template: string, handle: InternalRoute['handle']): InternalRoute {
  return { methods, route: compileRoute(template), handle };
}

interface TriggerRoute {
  fn: RegisteredFunction;
  methods: string[] | undefined;
  route: CompiledRoute;
}

export class PayloadTooLarge extends Error {}

export function problem(status: number, title: string, detail: string): HostResponse {
  return {
    status,
    headers: { 'content-type': 'application/problem+json' },
    body: { type: 'about:blank', title, status, detail },
  };
}

/** Serves HTTP triggers (and the host's own routes) on node:http. */
export class HttpHost {
  private triggers: TriggerRoute[] = [];
  private internal: InternalRoute[] = [];
  private invoker: Invoker | undefined;
  private server: http.Server | undefined;

  constructor(private readonly options: { maxBodyBytes: number; logger: HostLogger }) {}

  /** Starts answering with the app's HTTP triggers and the host's own routes. */
  mount(registry: FunctionRegistry, invoker: Invoker, internal: InternalRoute[], routePrefix: string): void {
    this.invoker = invoker;
    this.internal = internal;
    const prefix = routePrefix.replace(/^\/+|\/+$/g, '');
    this.triggers = registry.byTrigger('httpTrigger').map((fn) => {
      const route = typeof fn.trigger.route === 'string' ? fn.trigger.route : fn.metadata.name;
      const methods = Array.isArray(fn.trigger.methods) ? (fn.trigger.methods as string[]).map((m) => m.toUpperCase()) : undefined;
      return { fn, methods, route: compileRoute([prefix, route.replace(/^\/+/, '')].filter(Boolean).join('/')) };
    });
    this.triggers.sort((a, b) => byPrecedence(a.route, b.route));
  }

  get routes(): { name: string; methods: string[]; route: string }[] {
    return this.triggers.map((t) => ({ name: t.fn.metadata.name, methods: t.methods ?? ['*'], route: t.route.template }));
  }

  async listen(port: number, host = '0.0.0.0'): Promise<number> {
    this.server = http.createServer((req, res) => {
      this.handle(req, res).catch((error) => {
        this.options.logger.error('request failed', { error: String(error) });
        if (!res.headersSent) res.writeHead(500);
        res.end();
      });
    });
    this.server.keepAliveTimeout = 65_000;
    await new Promise<void>((resolve, reject) => {
      this.server!.once('error', reject);
      this.server!.listen(port, host, () => resolve());
    });
    return (this.server.address() as AddressInfo).port;
  }

  async close(): Promise<void> {
    if (!this.server) return;
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server!.close(() => resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', `http://${req.headers.host ?? 'localhost'}`);
    if (!this.invoker) return send(res, { ...problem(503, 'Service Unavailable', 'The host is starting.'), headers: { 'retry-after': '1', 'content-type': 'application/problem+json' } });
    const method = (req.method ?? 'GET').toUpperCase();
    let body: Buffer;
    try {
      body = await readBody(req, this.options.maxBodyBytes);
    } catch (error) {
      if (error instanceof PayloadTooLarge) {
        return send(res, problem(413, 'Payload Too Large', `The request body exceeds ${this.options.maxBodyBytes} bytes.`), true);
      }
      throw error;
    }
    let path: string;
    try {
      path = decodeURI(url.pathname);
    } catch {
      path = url.pathname;
    }
    let methodMismatch: string[] = [];
    for (const r of this.internal) {
      const params = r.route.match(url.pathname);
      if (!params) continue;
      if (!r.methods.includes(method)) {
        methodMismatch = methodMismatch.concat(r.methods);
        continue;
      }
      return send(res, await r.handle({ method, url, headers: req.headers, body, params }));
    }
    for (const t of this.triggers) {
      const params = t.route.match(url.pathname);
      if (!params) continue;
      if (t.methods && !t.methods.includes(method)) {
        methodMismatch = methodMismatch.concat(t.methods);
        continue;
      }
      return this.invokeTrigger(t.fn, req, res, url, method, body, params);
    }
    if (methodMismatch.length) {
      const allow = [...new Set(methodMismatch)].join(', ');
      return send(res, { ...problem(405, 'Method Not Allowed', `${method} is not allowed on ${path}.`), headers: { 'content-type': 'application/problem+json', allow } });
    }
    return send(res, problem(404, 'Not Found', `No function answers ${method} ${path}.`));
  }

  private async invokeTrigger(
    fn: RegisteredFunction,
    req: IncomingMessage,
    res: ServerResponse,
    url: URL,
    method: string,
    body: Buffer,
    params: Record<string, string>,
  ): Promise<void> {
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(req.headers)) if (v !== undefined) headers[k] = Array.isArray(v) ? v.join(', ') : v;
    const query: Record<string, string> = {};
    for (const [k, v] of url.searchParams) query[k] = v;
    const http: RpcHttpData = { method, url: url.href, headers, query, params, body: { bytes: body } };
    const traceParent = typeof req.headers.traceparent === 'string' ? req.headers.traceparent : undefined;
    let outcome;
    try {
      outcome = await this.invoker!.invoke(fn, { triggerData: { http }, traceParent, shortcut: (raw) => toPlainResponse(fn, raw) });
    } catch {
      res.writeHead(500, { 'content-length': 0 });
      res.end();
      return;
    }
    const plain = outcome.shortcut as PlainResponse | undefined;
    if (plain) {
      plain.headers['content-length'] = String(plain.body.length);
      res.writeHead(plain.status, plain.headers);
      res.end(method === 'HEAD' ? undefined : plain.body);
      return;
    }
    const response = outcome.response;
    let rpc = response?.returnValue?.http ?? undefined;
    if (!rpc) {
      for (const out of response?.outputData ?? []) {
        if (fn.metadata.bindings[out.name]?.type.toLowerCase() === 'http' && out.data?.http) rpc = out.data.http;
      }
    }
    if (!rpc) {
      res.writeHead(204, { 'x-trace-id': outcome.traceId });
      res.end();
      return;
    }
    const status = Number(rpc.statusCode ?? 200) || 200;
    const outHeaders: Record<string, string | string[]> = { ...(rpc.headers ?? {}) };
    if (rpc.cookies?.length) outHeaders['set-cookie'] = rpc.cookies.map(toSetCookie);
    const payload = fromTypedData(rpc.body);
    const bytes = payload === undefined ? Buffer.alloc(0) : Buffer.isBuffer(payload) ? payload : Buffer.from(typeof payload === 'string' ? payload : JSON.stringify(payload));
    if (!Object.keys(outHeaders).some((h) => h.toLowerCase() === 'content-length')) outHeaders['content-length'] = String(bytes.length);
    res.writeHead(status, outHeaders);
    res.end(method === 'HEAD' ? undefined : bytes);
  }
}

function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > limit) {
    req.resume();
    return Promise.reject(new PayloadTooLarge());
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let failed = false;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit && !failed) {
        failed = true;
        reject(new PayloadTooLarge());
        return;
      }
      if (!failed) chunks.push(chunk);
    });
    req.on('end', () => !failed && resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

export function send(res: ServerResponse, response: HostResponse, close = false): void {
  const headers: Record<string, string | string[]> = { ...(response.headers ?? {}) };
  let bytes: Buffer | undefined;
  if (response.body !== undefined) {
    if (Buffer.isBuffer(response.body)) bytes = response.body;
    else if (typeof response.body === 'string') bytes = Buffer.from(response.body);
    else {
      bytes = Buffer.from(JSON.stringify(response.body));
      if (!headers['content-type']) headers['content-type'] = 'application/json; charset=utf-8';
    }
  }
  headers['content-length'] = String(bytes?.length ?? 0);
  if (close) headers.connection = 'close';
  res.writeHead(response.status, headers);
  res.end(bytes);
}
