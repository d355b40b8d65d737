import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** Partition of platform-level keys (the bootstrap PlatformAdmin key); not a tenant id. */
export const PLATFORM_PARTITION = '_platform';

const PREFIX = 'sf_';

/**
 * A parsed factory API key `sf_<keyId>_<secret>`. The keyId is `<tenant>.<random>` so the key
 * document is found by a point read in its tenant's partition (the store has no cross-partition reads).
 */
export interface ApiKeyToken {
  keyId: string;
  tenantId: string;
  /** Document id inside the tenant partition (the random part of the keyId). */
  documentId: string;
}

/** A fresh token for `tenantId`; `documentId` defaults to 16 random hex characters. */
export function newApiKeyToken(tenantId: string, documentId = randomBytes(8).toString('hex')): { token: string; keyId: string; documentId: string } {
  const keyId = `${encodeURIComponent(tenantId)}.${documentId}`;
  return { token: `${PREFIX}${keyId}_${randomBytes(24).toString('hex')}`, keyId, documentId };
}

/** True when a bearer value has the factory key shape (and so is not a JWT). */
export function looksLikeApiKey(token: string): boolean {
  return token.startsWith(PREFIX);
}

/** Splits `sf_<tenant>.<id>_<secret>`; `undefined` when the shape is wrong. */
export function parseApiKeyToken(token: string): ApiKeyToken | undefined {
  if (!looksLikeApiKey(token)) return undefined;
  const body = token.slice(PREFIX.length);
  const secretAt = body.lastIndexOf('_');
  if (secretAt <= 0 || !/^[0-9a-f]{32,}$/.test(body.slice(secretAt + 1))) return undefined;
  const keyId = body.slice(0, secretAt);
  const dot = keyId.lastIndexOf('.');
  if (dot <= 0 || dot === keyId.length - 1) return undefined;
  try {
    return { keyId, tenantId: decodeURIComponent(keyId.slice(0, dot)), documentId: keyId.slice(dot + 1) };
  } catch {
    return undefined;
  }
}

/** SHA-256 of the whole token, hex. Keys are long random values, so a fast hash is enough. */
export function hashApiKey(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/** Constant-time comparison of two hex hashes. */
export function hashesMatch(a: string, b: string): boolean {
  const left = Buffer.from(a, 'hex');
  const right = Buffer.from(b, 'hex');
  return left.length === right.length && timingSafeEqual(left, right);
}
