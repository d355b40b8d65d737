import type { RegisteredFunction } from '../core/types';

/** A response the host can write without the library's web Response round trip. */
export interface PlainResponse {
  status: number;
  headers: Record<string, string>;
  /** A string is sent as UTF-8: kept as text so that node writes headers and body in one system call. */
  body: string | Buffer;
}

const NULL_BODY_STATUSES = new Set([204, 205, 304]);
const KNOWN_FIELDS = new Set(['status', 'headers', 'jsonBody', 'body', 'cookies', 'enableContentNegotiation']);
/** Whether a function's only output is its HTTP return value (bindings never change after start-up). */
const onlyHttpReturn = new WeakMap<RegisteredFunction, boolean>();

function hasOnlyHttpReturn(fn: RegisteredFunction): boolean {
  let only = onlyHttpReturn.get(fn);
  if (only === undefined) {
    const outputs = Object.entries(fn.metadata.bindings).filter(([, b]) => b.direction === 'out');
    only = outputs.length === 1 && outputs[0][0] === '$return' && outputs[0][1].type.toLowerCase() === 'http';
    onlyHttpReturn.set(fn, only);
  }
  return only;
}

/**
 * The same bytes `@azure/functions` would produce for the common `HttpResponseInit` shapes — a plain
 * object with `status`, plain `headers`, and `jsonBody`, a string or a byte `body`, no cookies —
 * from a function whose only output is its HTTP return. Anything else (an `HttpResponse`, cookies,
 * streams, extra outputs) returns undefined and takes the library's path.
 */
export function toPlainResponse(fn: RegisteredFunction, raw: unknown): PlainResponse | undefined {
  if (!raw || typeof raw !== 'object' || Object.getPrototypeOf(raw) !== Object.prototype) return undefined;
  if (!hasOnlyHttpReturn(fn)) return undefined;
  const init = raw as { status?: unknown; headers?: unknown; jsonBody?: unknown; body?: unknown; cookies?: unknown[]; enableContentNegotiation?: unknown };
  for (const k of Object.keys(init)) if (!KNOWN_FIELDS.has(k)) return undefined;
  if (init.cookies !== undefined && (!Array.isArray(init.cookies) || init.cookies.length > 0)) return undefined;
  if (init.status !== undefined && (typeof init.status !== 'number' || !Number.isInteger(init.status))) return undefined;
  const headers: Record<string, string> = {};
  if (init.headers !== undefined) {
    if (!init.headers || typeof init.headers !== 'object' || Object.getPrototypeOf(init.headers) !== Object.prototype) return undefined;
    for (const [name, value] of Object.entries(init.headers)) {
      if (typeof value !== 'string') return undefined;
      headers[name.toLowerCase()] = value;
    }
  }
  const status = (init.status as number | undefined) ?? 200;
  let body: string | Buffer = '';
  if (!NULL_BODY_STATUSES.has(status)) {
    if (init.jsonBody !== undefined && init.jsonBody !== null) {
      body = JSON.stringify(init.jsonBody);
      headers['content-type'] ??= 'application/json';
    } else if (typeof init.body === 'string') {
      body = init.body;
      headers['content-type'] ??= 'text/plain;charset=UTF-8';
    } else if (Buffer.isBuffer(init.body) || init.body instanceof Uint8Array) {
      body = Buffer.from(init.body);
    } else if (init.body !== undefined && init.body !== null) {
      return undefined;
    }
  }
  return { status, headers, body };
}
