import type { IncomingHttpHeaders } from 'node:http';
import { namespaceOfKey } from '../broker/namespaces';
import { HostKeys, sameKey } from './hostKeys';

/**
 * Who may call a route, as the Functions host decides it: `anonymous` (anyone), `function` (the
 * function key or the master key), `system` (the Durable extension's system key or the master key),
 * `admin` (the master key only), `broker` (the broker's data routes: the master key, or a namespace
 * key that opens one namespace of it — `local/broker/namespaces.ts`).
 */
export type AccessLevel = 'anonymous' | 'function' | 'system' | 'admin' | 'broker';

/** The access level of an HTTP trigger's `authLevel` (`anonymous` | `function` | `admin`; default `function` as in Azure). */
export function triggerAccess(authLevel: unknown): AccessLevel {
  const level = typeof authLevel === 'string' ? authLevel.toLowerCase() : 'function';
  if (level === 'anonymous') return 'anonymous';
  if (level === 'admin' || level === 'system') return 'admin';
  return 'function';
}

/** The key a request presents: the `x-functions-key` header, else the `code` query parameter. */
export function presentedKey(headers: IncomingHttpHeaders, query: URLSearchParams): string | undefined {
  const header = headers['x-functions-key'];
  if (typeof header === 'string' && header !== '') return header;
  return query.get('code') ?? undefined;
}

/**
 * The access level of the host's own namespaces, for paths no route matches: `/admin/...` needs the
 * master key and `/runtime/webhooks/durabletask/...` the system key, so a caller without the key learns
 * nothing from 404 versus 405 (as in Azure, which answers 401 there). Undefined elsewhere.
 */
export function reservedAccess(pathname: string): AccessLevel | undefined {
  const path = pathname.toLowerCase();
  if (path === '/admin' || path.startsWith('/admin/')) return 'admin';
  if (path === '/runtime/webhooks/durabletask' || path.startsWith('/runtime/webhooks/durabletask/')) return 'system';
  return undefined;
}

/** True when `key` opens a route of `level`. */
export function authorized(level: AccessLevel, key: string | undefined, keys: HostKeys): boolean {
  if (level === 'anonymous') return true;
  if (key === undefined) return false;
  if (sameKey(key, keys.masterKey)) return true;
  if (level === 'system') return sameKey(key, keys.systemKey);
  if (level === 'function') return sameKey(key, keys.functionKey);
  if (level === 'broker') return namespaceOfKey(key, keys.masterKey) !== undefined;
  return false;
}

/**
 * The durable client's `rpcBaseUrl` carries the system key as a path segment
 * (`/runtime/webhooks/durabletask/_key/<key>/...`), because the client resolves its calls relative
 * to that URL and so drops any query string. Returns the path without the segment, and the key.
 */
export const KEYED_WEBHOOK_PREFIX = '/runtime/webhooks/durabletask/_key/';

export function splitPathKey(pathname: string): { pathname: string; key: string } | undefined {
  if (!pathname.startsWith(KEYED_WEBHOOK_PREFIX)) return undefined;
  const rest = pathname.slice(KEYED_WEBHOOK_PREFIX.length);
  const slash = rest.indexOf('/');
  const key = slash < 0 ? rest : rest.slice(0, slash);
  return { pathname: `/runtime/webhooks/durabletask${slash < 0 ? '' : rest.slice(slash)}`, key: safeDecodeComponent(key) };
}

function safeDecodeComponent(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}
