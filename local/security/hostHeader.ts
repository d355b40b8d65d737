import net from 'node:net';
import os from 'node:os';

/** The outcome of checking a request's Host header. */
export type HostCheck = { ok: true } | { ok: false; status: 400 | 421; detail: string };

const LOOPBACK_NAMES = ['localhost', '127.0.0.1', '[::1]'];
const REG_NAME = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*\.?$/;

/**
 * Splits `host[:port]` (RFC 9110 §7.2, RFC 3986 §3.2.2): a DNS name, an IPv4 address or a bracketed
 * IPv6 address, and an optional port 0-65535. Returns undefined for anything else (`[`, `a b`,
 * `x:99999`, `[::1`, `%zz`).
 */
export function parseHostHeader(value: string): { name: string; port?: number } | undefined {
  let name: string;
  let port: string | undefined;
  if (value.startsWith('[')) {
    const end = value.indexOf(']');
    if (end < 0) return undefined;
    name = value.slice(0, end + 1).toLowerCase();
    if (net.isIPv6(name.slice(1, -1)) === false) return undefined;
    const rest = value.slice(end + 1);
    if (rest !== '') {
      if (!rest.startsWith(':')) return undefined;
      port = rest.slice(1);
    }
  } else {
    const colon = value.indexOf(':');
    name = (colon < 0 ? value : value.slice(0, colon)).toLowerCase();
    port = colon < 0 ? undefined : value.slice(colon + 1);
    if (!REG_NAME.test(name)) return undefined;
  }
  if (port !== undefined && (!/^\d{1,5}$/.test(port) || Number(port) > 65535)) return undefined;
  return { name, port: port === undefined ? undefined : Number(port) };
}

/**
 * The names a request's Host may carry: the bound address (unless it is a wildcard), localhost,
 * 127.0.0.1, [::1], the names in FACTORY_HOST_ALLOWED_HOSTS (comma-separated) and, when bound to a
 * wildcard address, the machine's own interface addresses. Anything else is refused, so a page
 * whose DNS name was rebound to this machine cannot read from the host (DNS rebinding).
 */
export function allowedHostNames(bindAddress: string, configured = process.env.FACTORY_HOST_ALLOWED_HOSTS ?? ''): Set<string> {
  const names = new Set(LOOPBACK_NAMES);
  const wildcard = bindAddress === '0.0.0.0' || bindAddress === '::' || bindAddress === '';
  if (!wildcard) names.add(net.isIPv6(bindAddress) ? `[${bindAddress.toLowerCase()}]` : bindAddress.toLowerCase());
  for (const name of configured.split(',').map((n) => n.trim().toLowerCase()).filter(Boolean)) names.add(name);
  if (wildcard) {
    for (const list of Object.values(os.networkInterfaces())) {
      for (const i of list ?? []) names.add(i.family === 'IPv6' ? `[${i.address.toLowerCase()}]` : i.address);
    }
  }
  return names;
}

/** Checks a Host header: 400 when malformed, 421 when it names a host this one does not answer for. */
export function checkHostHeader(value: string | undefined, allowed: Set<string>): HostCheck {
  if (value === undefined) return { ok: true }; // HTTP/1.0 without Host; browsers always send one
  const parsed = parseHostHeader(value);
  if (!parsed) return { ok: false, status: 400, detail: 'The Host header is not a valid host[:port].' };
  if (!allowed.has(parsed.name)) {
    return { ok: false, status: 421, detail: `This host does not answer for '${parsed.name}'. Use localhost, or add the name to FACTORY_HOST_ALLOWED_HOSTS.` };
  }
  return { ok: true };
}
