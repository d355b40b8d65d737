import http, { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { FunctionRegistry } from '../core/coreApi';
import { fromTypedData, Invoker } from '../core/invoker';
import type { RegisteredFunction, RpcHttpData } from '../core/types';
import type { HostLogger } from '../logger';
import { toSetCookie } from './cookies';
import { AccessLevel, authorized, presentedKey, reservedAccess, splitPathKey, triggerAccess } from '../security/access';
import { allowedHostNames, checkHostHeader } from '../security/hostHeader';
import type { HostKeys } from '../security/hostKeys';
import { bodilessRequest, BodilessRequest } from './bodilessRequest';
import { BodyBudget, BodyBudgetExhausted, hasBody, PayloadTooLarge, readBody } from './body';
import { PlainResponse, toPlainResponse } from './plainResponse';
import { byPrecedence, compileRoute, CompiledRoute, segmentCount } from './routeTemplate';

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
  /** Who may call it; see AccessLevel. */
  access: AccessLevel;
  handle(request: HostRequest): Promise<HostResponse> | HostResponse;
}

/**
 * A route the host answers itself. Unless given, its access level follows its path: `admin/...`
 * needs the master key, `runtime/webhooks/...` the system key; nothing the host serves is open.
 */
export function internalRoute(methods: string[], template: string, handle: InternalRoute['handle'], access?: AccessLevel): InternalRoute {
  return { methods, route: compileRoute(template), access: access ?? (template.startsWith('runtime/') ? 'system' : 'admin'), handle };
}

interface TriggerRoute {
  fn: RegisteredFunction;
  methods: string[] | undefined;
  route: CompiledRoute;
  access: AccessLevel;
}

type RouteMatch =
  | { kind: 'internal'; route: InternalRoute; params: Record<string, string> }
  | { kind: 'trigger'; trigger: TriggerRoute; params: Record<string, string> }
  | { kind: 'none'; allow: string[] };

export { PayloadTooLarge };

const TITLES: Record<number, string> = { 400: 'Bad Request', 401: 'Unauthorized', 404: 'Not Found', 405: 'Method Not Allowed', 413: 'Content Too Large', 421: 'Misdirected Request', 503: 'Service Unavailable' };

export function problem(status: number, title: string, detail: string): HostResponse {
  return {
    status,
    headers: { 'content-type': 'application/problem+json' },
    body: { type: 'about:blank', title, status, detail },
  };
}

const KEY_NEEDED: Record<AccessLevel, string> = {
  anonymous: '',
  function: 'a function key (or the master key)',
  system: "the Durable extension's system key (or the master key)",
  admin: 'the master key',
  broker: 'the master key or a broker namespace key',
};

export interface HttpHostOptions {
  /** Body limit of routes that need a key (host.json `extensions.http.maxRequestBodySizeBytes`). */
  maxBodyBytes: number;
  /** Body limit of anonymous routes, applied while streaming; never above maxBodyBytes. */
  anonymousMaxBodyBytes: number;
  /** Bytes all anonymous requests together may be buffering at once (503 beyond). */
  anonymousBodyBudgetBytes: number;
  keys: HostKeys;
  logger: HostLogger;
}

/** Serves HTTP triggers (and the host's own routes) on node:http. */
export class HttpHost {
  private triggers: TriggerRoute[] = [];
  private internal: InternalRoute[] = [];
  private invoker: Invoker | undefined;
  private server: http.Server | undefined;
  private allowedHosts = new Set<string>();
  private readonly anonymousBudget: BodyBudget;

  constructor(private readonly options: HttpHostOptions) {
    this.anonymousBudget = new BodyBudget(options.anonymousBodyBudgetBytes);
  }

  /** Starts answering with the app's HTTP triggers and the host's own routes. */
  mount(registry: FunctionRegistry, invoker: Invoker, internal: InternalRoute[], routePrefix: string): void {
    this.invoker = invoker;
    this.internal = internal;
    const prefix = routePrefix.replace(/^\/+|\/+$/g, '');
    this.triggers = registry.byTrigger('httpTrigger').map((fn) => {
      const route = typeof fn.trigger.route === 'string' ? fn.trigger.route : fn.metadata.name;
      const methods = Array.isArray(fn.trigger.methods) ? (fn.trigger.methods as string[]).map((m) => m.toUpperCase()) : undefined;
      return { fn, methods, route: compileRoute([prefix, route.replace(/^\/+/, '')].filter(Boolean).join('/')), access: triggerAccess(fn.trigger.authLevel) };
    });
    this.triggers.sort((a, b) => byPrecedence(a.route, b.route));
  }

  get routes(): { name: string; methods: string[]; route: string; authLevel: AccessLevel }[] {
    return this.triggers.map((t) => ({ name: t.fn.metadata.name, methods: t.methods ?? ['*'], route: t.route.template, authLevel: t.access }));
  }

  async listen(port: number, host = '127.0.0.1'): Promise<number> {
    this.allowedHosts = allowedHostNames(host);
    this.server = http.createServer((req, res) => {
      this.handle(req, res).catch((error) => {
        this.options.logger.error('request failed', { error: String(error) });
        if (!res.headersSent) send(res, problem(500, 'Internal Server Error', 'The host failed to answer this request.'), true);
        else res.end();
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

  /**
   * Host check, then route, then key, then body: a request is refused before its body is read
   * unless it may reach a handler, and the body is read up to the route's limit only.
   */
  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const refuse = (status: number, detail: string, headers?: Record<string, string>) =>
      send(res, { ...problem(status, TITLES[status] ?? 'Error', detail), ...(headers ? { headers: { 'content-type': 'application/problem+json', ...headers } } : {}) }, hasBody(req));
    const hostCheck = checkHostHeader(req.headers.host, this.allowedHosts);
    if (!hostCheck.ok) return refuse(hostCheck.status, hostCheck.detail);
    let url: URL;
    try {
      url = new URL(req.url ?? '/', `http://${req.headers.host ?? 'localhost'}`);
    } catch {
      return refuse(400, 'The request target is not a valid URL.');
    }
    if (!this.invoker) return refuse(503, 'The host is starting.', { 'retry-after': '1' });
    const method = (req.method ?? 'GET').toUpperCase();
    const keyed = splitPathKey(url.pathname);
    if (keyed) url.pathname = keyed.pathname;
    const match = this.match(method, url.pathname);
    const presented = keyed?.key ?? presentedKey(req.headers, url.searchParams);
    if (match.kind === 'none') {
      const reserved = reservedAccess(url.pathname);
      if (reserved && !authorized(reserved, presented, this.options.keys)) {
        return refuse(401, `This route needs ${KEY_NEEDED[reserved]}, sent as the x-functions-key header or the code query parameter.`);
      }
      const path = safeDecode(url.pathname);
      if (match.allow.length) return refuse(405, `${method} is not allowed on ${path}.`, { allow: match.allow.join(', ') });
      return refuse(404, `No function answers ${method} ${path}.`);
    }
    const access = match.kind === 'internal' ? match.route.access : match.trigger.access;
    if (!authorized(access, presented, this.options.keys)) {
      return refuse(401, `This route needs ${KEY_NEEDED[access]}, sent as the x-functions-key header or the code query parameter.`);
    }
    const anonymous = access === 'anonymous';
    const limit = anonymous ? Math.min(this.options.anonymousMaxBodyBytes, this.options.maxBodyBytes) : this.options.maxBodyBytes;
    let body: Buffer;
    try {
      body = await readBody(req, limit, anonymous ? this.anonymousBudget : undefined);
    } catch (error) {
      if (error instanceof PayloadTooLarge) return refuse(413, error.message);
      if (error instanceof BodyBudgetExhausted) return refuse(503, error.message, { 'retry-after': '1' });
      if (req.destroyed || res.destroyed) return; // the client went away
      throw error;
    }
    if (match.kind === 'internal') return send(res, await match.route.handle({ method, url, headers: req.headers, body, params: match.params }));
    return this.invokeTrigger(match.trigger.fn, req, res, url, method, body, match.params);
  }

  private match(method: string, pathname: string): RouteMatch {
    const allow = new Set<string>();
    const count = segmentCount(pathname);
    const fits = (route: CompiledRoute) => count >= route.minSegments && count <= route.maxSegments;
    for (const route of this.internal) {
      if (!fits(route.route)) continue;
      const params = route.route.match(pathname);
      if (!params) continue;
      if (route.methods.includes(method)) return { kind: 'internal', route, params };
      route.methods.forEach((m) => allow.add(m));
    }
    for (const trigger of this.triggers) {
      if (!fits(trigger.route)) continue;
      const params = trigger.route.match(pathname);
      if (!params) continue;
      if (!trigger.methods || trigger.methods.includes(method)) return { kind: 'trigger', trigger, params };
      trigger.methods.forEach((m) => allow.add(m));
    }
    return { kind: 'none', allow: [...allow] };
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
    // A repeated query parameter arrives joined with commas, as the Functions host passes it.
    const joined = new Map<string, string>();
    for (const [k, v] of url.searchParams) joined.set(k, joined.has(k) ? `${joined.get(k)},${v}` : v);
    const query = Object.fromEntries(joined);
    const http: RpcHttpData & { nativeRequest?: BodilessRequest } = { method, url: url.href, headers, query, params, body: { bytes: body } };
    const nativeRequest = bodilessRequest(method, url.href, headers, body);
    if (nativeRequest) http.nativeRequest = nativeRequest;
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
      plain.headers['content-length'] = String(typeof plain.body === 'string' ? Buffer.byteLength(plain.body) : plain.body.length);
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

function safeDecode(path: string): string {
  try {
    return decodeURI(path);
  } catch {
    return path;
  }
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
