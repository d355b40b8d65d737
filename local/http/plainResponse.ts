import type { RegisteredFunction } from '../core/types';

/** A response the host can write without the library's web Response round trip. */
export interface PlainResponse {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
}

const NULL_BODY_STATUSES = new Set([204, 205, 304]);

/**
 * The same bytes `@azure/functions` would produce for the common `HttpResponseInit` shapes — a plain
 * object with `status`, plain `headers`, and `jsonBody`, a string or a byte `body`, no cookies —
 * from a function whose only output is its HTTP return. Anything else (an `HttpResponse`, cookies,
 * streams, extra outputs) returns undefined and takes the library's path.
 */
export function toPlainResponse(fn: RegisteredFunction, raw: unknown): PlainResponse | undefined {
  if (!raw || typeof raw !== 'object' || Object.getPrototypeOf(raw) !== Object.prototype) return undefined;
  const outputs = Object.entries(fn.metadata.bindings).filter(([, b]) => b.direction === 'out');
  if (outputs.length !== 1 || outputs[0][0] !== '$return' || outputs[0][1].type.toLowerCase() !== 'http') return undefined;
  const init = raw as { status?: unknown; headers?: unknown; jsonBody?: unknown; body?: unknown; cookies?: unknown[]; enableContentNegotiation?: unknown };
  const known = new Set(['status', 'headers', 'jsonBody', 'body', 'cookies', 'enableContentNegotiation']);
  if (Object.keys(init).some((k) => !known.has(k))) return undefined;
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
  let body = Buffer.alloc(0);
  if (!NULL_BODY_STATUSES.has(status)) {
    if (init.jsonBody !== undefined && init.jsonBody !== null) {
      body = Buffer.from(JSON.stringify(init.jsonBody));
      headers['content-type'] ??= 'application/json';
    } else if (typeof init.body === 'string') {
      body = Buffer.from(init.body);
      headers['content-type'] ??= 'text/plain;charset=UTF-8';
    } else if (Buffer.isBuffer(init.body) || init.body instanceof Uint8Array) {
      body = Buffer.from(init.body);
    } else if (init.body !== undefined && init.body !== null) {
      return undefined;
    }
  }
  return { status, headers, body };
}
