import type { HttpRequest } from '@azure/functions';
import { PreconditionFailed } from './errors';

/**
 * The entity tags of an `If-Match` header (RFC 9110 §13.1.1): `undefined` when absent, `['*']` for
 * any, else the opaque tags without quotes (a weak `W/` prefix is dropped: stores' ETags are strong).
 */
export function ifMatchOf(request: Pick<HttpRequest, 'headers'>): string[] | undefined {
  const header = request.headers.get('if-match');
  if (header === null || header.trim() === '') return undefined;
  return header.split(',').map((tag) => tag.trim().replace(/^W\//, '').replace(/^"(.*)"$/, '$1')).filter(Boolean);
}

/** The `ETag` header value of a stored version. */
export function toEtag(version: string): string {
  return `"${version.replace(/^"(.*)"$/, '$1')}"`;
}

/** 412 unless `ifMatch` is absent, `*`, or names `current` (the stored ETag). */
export function checkIfMatch(ifMatch: string[] | undefined, current: string, what: string): void {
  if (!ifMatch || ifMatch.includes('*')) return;
  const bare = current.replace(/^"(.*)"$/, '$1');
  if (!ifMatch.includes(bare)) throw new PreconditionFailed(`${what} changed since the version named in If-Match (now ${toEtag(bare)}); read it again and retry.`);
}
