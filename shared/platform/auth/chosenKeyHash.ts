import { createHmac, randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';

/**
 * scrypt parameters for keys a person chose (FACTORY_ADMIN_KEY): one of the settings the OWASP
 * Password Storage Cheat Sheet lists as equal to its minimum (N = 2^17, r = 8, p = 1) — N = 2^15,
 * r = 8, p = 3: the same work in 32 MiB instead of 128. Factory-made keys carry 192 random bits and
 * keep the fast SHA-256 hash.
 */
const PARAMS = { N: 2 ** 15, r: 8, p: 3 } as const;
const KEY_LENGTH = 32;
/** FACTORY_ADMIN_KEY's minimum length (config schema): shorter guesses are refused without hashing. */
const MIN_CHOSEN_KEY_LENGTH = 24;
const PREFIX = 'scrypt';

function derive(secret: string, salt: Buffer, params: { N: number; r: number; p: number }): Promise<Buffer> {
  const options: ScryptOptions = { ...params, maxmem: 256 * params.N * params.r };
  if (params.N > 2 ** 20 || params.r > 16 || params.p > 16) return Promise.reject(new Error('scrypt parameters out of range'));
  return new Promise((resolve, reject) => scrypt(secret, salt, KEY_LENGTH, options, (error, key) => (error ? reject(error) : resolve(key))));
}

// One derivation at a time: an unauthenticated flood of guesses costs one core and 128 MiB, not more.
let queue: Promise<unknown> = Promise.resolve();
function serialized<T>(work: () => Promise<T>): Promise<T> {
  const next = queue.then(work, work);
  queue = next.catch(() => undefined);
  return next;
}

// The last verified (stored hash, HMAC-SHA256 of the key under a per-process random secret, so the
// fingerprint in memory is no offline-guessable hash of the key). Once a stored hash has a verified key,
// a presented key is compared by fingerprint only: the right key passes, every other key fails without
// scrypt (a scrypt hash has exactly one known-good key), so wrong guesses cost one HMAC, not ~0.5 s CPU.
// The composition root verifies FACTORY_ADMIN_KEY at start-up (ensureBootstrapAdminKey), so the cache is warm.
const PROCESS_SECRET = randomBytes(32);
let verified: { stored: string; fingerprint: Buffer } | undefined;
const fingerprintOf = (secret: string): Buffer => createHmac('sha256', PROCESS_SECRET).update(secret).digest();

/** `scrypt$N$r$p$<salt b64>$<hash b64>` of a chosen key, with a fresh 16-byte salt. */
export async function hashChosenKey(secret: string): Promise<string> {
  const salt = randomBytes(16);
  const hash = await serialized(() => derive(secret, salt, PARAMS));
  const stored = [PREFIX, PARAMS.N, PARAMS.r, PARAMS.p, salt.toString('base64'), hash.toString('base64')].join('$');
  verified = { stored, fingerprint: fingerprintOf(secret) };
  return stored;
}

/** True when `stored` is a chosen-key hash (and not a factory key's SHA-256 hex). */
export function isChosenKeyHash(stored: string): boolean {
  return stored.startsWith(`${PREFIX}$`);
}


/**
 * Constant-time check of `secret` against a `hashChosenKey` result. scrypt runs only while no key has
 * been verified against `stored` in this process; afterwards the keyed fingerprint decides alone.
 */
export async function verifyChosenKey(secret: string, stored: string): Promise<boolean> {
  if (secret.length < MIN_CHOSEN_KEY_LENGTH) return false;
  const fingerprint = fingerprintOf(secret);
  if (verified?.stored === stored) return timingSafeEqual(verified.fingerprint, fingerprint);
  const [prefix, n, r, p, salt, hash] = stored.split('$');
  if (prefix !== PREFIX || !hash) return false;
  const expected = Buffer.from(hash, 'base64');
  const actual = await serialized(() => derive(secret, Buffer.from(salt, 'base64'), { N: Number(n), r: Number(r), p: Number(p) }));
  const ok = actual.length === expected.length && timingSafeEqual(actual, expected);
  if (ok) verified = { stored, fingerprint };
  return ok;
}
