import { contentHashOf } from '../platform/blobs/contentHash';
import type { Blueprint } from './schemas';

/**
 * JSON with object keys sorted (by UTF-16 code unit), no whitespace and `undefined` members left
 * out; arrays keep their order. Equal data always gives the same text.
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map((item) => (item === undefined ? 'null' : canonicalJson(item))).join(',')}]`;
  const members = Object.keys(value)
    .sort()
    .filter((key) => (value as Record<string, unknown>)[key] !== undefined)
    .map((key) => `${JSON.stringify(key)}:${canonicalJson((value as Record<string, unknown>)[key])}`);
  return `{${members.join(',')}}`;
}

/**
 * The canonical form of a normalized blueprint: field types as `FieldType` objects, omitted lists
 * as empty lists. The same content written as YAML or JSON, in any key order, gives the same text.
 */
export function toCanonicalJson(blueprint: Blueprint): string {
  return canonicalJson(blueprint);
}

/** sha256 (lowercase hex) of the canonical JSON: a blueprint version's identity. */
export function contentHash(blueprint: Blueprint): string {
  return contentHashOf(Buffer.from(toCanonicalJson(blueprint), 'utf8'));
}
