import { createHash } from 'node:crypto';

/**
 * A document id derived from free-form parts (event ids, consumer names) that is always a valid
 * Cosmos DB id: short, and free of `/ \ ? #`.
 */
export function toDerivedId(prefix: string, ...parts: string[]): string {
  const digest = createHash('sha256').update(parts.join('\u0000')).digest('hex').slice(0, 40);
  return `${prefix}-${digest}`;
}

/** Cosmos DB's id limit (characters); SQLite enforces the same (see `assertDocumentId`). */
const MAX_ID_LENGTH = 255;
/** How much of an over-long id stays readable before its digest. */
const READABLE_PREFIX = 200;
const PLAIN = /[A-Za-z0-9_.:-]/;
const KIND = /^[A-Za-z][A-Za-z0-9]*$/;

/** One UTF-16 code unit per escape, always `%` + 4 hex digits, so the encoding is injective for every string. */
function encodePart(part: string): string {
  let out = '';
  for (let i = 0; i < part.length; i++) {
    const char = part[i];
    out += PLAIN.test(char) ? char : `%${part.charCodeAt(i).toString(16).padStart(4, '0')}`;
  }
  return out;
}

/**
 * THE way to build a store id from user- or code-derived parts (workflow ids, step names, task
 * ids, blueprint names): `kind~part~part…`, each part kept readable where it is `[A-Za-z0-9_.:-]`
 * and every other UTF-16 code unit escaped as `%XXXX`. Distinct inputs give distinct ids; the
 * result always passes `assertDocumentId` (1–255 characters, none of `/ \ ? #`). Ids longer than
 * 255 keep their first 200 characters and end in `~%h` + a SHA-256 digest (`%h` never occurs in
 * an encoded part, so the long form cannot collide with a short one).
 */
export function toDocumentId(kind: string, ...parts: string[]): string {
  if (!KIND.test(kind)) throw new TypeError(`Document id kind '${kind}' must be a plain identifier.`);
  const id = [kind, ...parts.map(encodePart)].join('~');
  if (id.length <= MAX_ID_LENGTH) return id;
  const digest = createHash('sha256').update(id).digest('hex').slice(0, 48);
  return `${id.slice(0, READABLE_PREFIX)}~%h${digest}`;
}
