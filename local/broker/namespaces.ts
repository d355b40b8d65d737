import { createHmac } from 'node:crypto';
import { presentedKey } from '../security/access';
import { sameKey } from '../security/hostKeys';
import type { HostRequest } from '../http/server';

/**
 * Namespaces of the local broker, as Azure gives each environment its own Service Bus namespace and
 * a SAS key that opens only that namespace. A namespace key (`sbns:<namespace>:<signature>`, the
 * signature an HMAC-SHA256 of the namespace under the host's master key) opens the broker's data
 * routes (declare, send, peek-lock receive, complete, abandon, dead-letter, list) for the entities
 * of that namespace only: every entity name it uses is stored as `<namespace>~<name>`. Nothing else
 * of the host opens with it. The master key sees every entity under its full name.
 * Namespace: 1–4 segments of `[A-Za-z0-9_-]{1,63}` joined by `~` (the local runtime uses
 * `<tenant>~<project>~<environment>`).
 */
const NAMESPACE = /^[A-Za-z0-9_-]{1,63}(~[A-Za-z0-9_-]{1,63}){0,3}$/;
const KEY_PREFIX = 'sbns:';
const SEPARATOR = '~';

function signature(masterKey: string, namespace: string): string {
  return createHmac('sha256', masterKey).update(`servicebus-namespace\n${namespace}`).digest('base64url');
}

/** The key that opens `namespace` on a host with `masterKey`. Throws on a malformed namespace. */
export function namespaceKey(masterKey: string, namespace: string): string {
  if (!NAMESPACE.test(namespace)) throw new Error(`'${namespace}' is not a broker namespace (1-4 segments of [A-Za-z0-9_-], joined by ~).`);
  return `${KEY_PREFIX}${namespace}:${signature(masterKey, namespace)}`;
}

/** The namespace a presented key opens, or undefined when it is not a valid namespace key of this host. */
export function namespaceOfKey(key: string | undefined, masterKey: string): string | undefined {
  if (!key?.startsWith(KEY_PREFIX)) return undefined;
  const rest = key.slice(KEY_PREFIX.length);
  const colon = rest.lastIndexOf(':');
  if (colon < 0) return undefined;
  const namespace = rest.slice(0, colon);
  return NAMESPACE.test(namespace) && sameKey(rest.slice(colon + 1), signature(masterKey, namespace)) ? namespace : undefined;
}

/** How one request names entities: its own names, mapped into its namespace (identity for the master key). */
export interface EntityScope {
  /** The broker's name of the caller's entity `name` (a queue, a topic, or `topic/subscriptions/sub`). */
  name(name: string): string;
  /** True when the broker's entity `name` belongs to the caller. */
  sees(name: string): boolean;
  /** The caller's name of a broker entity it sees. */
  local(name: string): string;
}

const WHOLE: EntityScope = { name: (name) => name, sees: () => true, local: (name) => name };

/** The scope of a request that passed the `broker` access check (master key or a namespace key). */
export function scopeOf(request: Pick<HostRequest, 'headers' | 'url'>, masterKey: string): EntityScope {
  const namespace = namespaceOfKey(presentedKey(request.headers, request.url.searchParams), masterKey);
  if (!namespace) return WHOLE;
  const prefix = `${namespace}${SEPARATOR}`;
  return { name: (name) => `${prefix}${name}`, sees: (name) => name.startsWith(prefix), local: (name) => name.slice(prefix.length) };
}
