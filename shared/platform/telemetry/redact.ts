/** What replaces a secret in anything the factory logs. */
export const REDACTED = '[REDACTED]';

const SECRET_KEY_PARTS = ['authorization', 'secret', 'password', 'passwd', 'connectionstring', 'cookie', 'credential', 'signature'];
const SECRET_VALUE_PATTERNS: [RegExp, string][] = [
  [/\bBearer\s+\S+/gi, `Bearer ${REDACTED}`],
  [/\bsf_[A-Za-z0-9%._-]{8,}/g, REDACTED],
  [/\beyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*/g, REDACTED],
  [/\b(AccountKey|SharedAccessKey|SharedAccessSignature|InstrumentationKey|Password|Pwd|sig)=[^;&\s]+/gi, `$1=${REDACTED}`],
];
/** Matches every string any of SECRET_VALUE_PATTERNS could match (and more): most strings fail it and skip the replacements. */
const MAYBE_SECRET_VALUE = /bearer|sf_|eyj|accountkey|sharedaccess|instrumentationkey|password|pwd|sig=/i;
const MAX_DEPTH = 8;
/** Field names seen and whether they are secret; names are few (code, not data), the bound is a guard. */
const secretKeyCache = new Map<string, boolean>();
const SECRET_KEY_CACHE_LIMIT = 4096;

/**
 * True for field names that hold secrets: anything mentioning authorization, secret, password,
 * connection string, cookie or credential, and names ending in `key(s)` or `token` (`apiKey`,
 * `COSMOS_KEY`, `accessToken`). `keyId` and `promptTokens` are not secrets and pass.
 */
export function isSecretKey(name: string): boolean {
  let secret = secretKeyCache.get(name);
  if (secret !== undefined) return secret;
  const n = name.toLowerCase().replace(/[^a-z0-9]/g, '');
  secret = SECRET_KEY_PARTS.some((part) => n.includes(part)) || /keys?$/.test(n) || n.endsWith('token');
  if (secretKeyCache.size < SECRET_KEY_CACHE_LIMIT) secretKeyCache.set(name, secret);
  return secret;
}

/** Masks factory API keys, JWTs, bearer credentials and connection-string secrets inside a string. */
export function redactText(text: string): string {
  if (!MAYBE_SECRET_VALUE.test(text)) return text;
  return SECRET_VALUE_PATTERNS.reduce((out, [pattern, replacement]) => out.replace(pattern, replacement), text);
}

/**
 * A copy of `value` that is safe to log: secret-named fields masked, secret-looking strings masked,
 * errors flattened to `{ name, message, stack }`, cycles and very deep nesting cut.
 */
export function redact(value: unknown): unknown {
  return redactValue(value, 0, new Seen());
}

/**
 * Copies the fields of each record into `target`, redacted as `redact` does the record that
 * spreading them would make (`{ ...target, ...records[0], ...records[1] }`), without building it.
 * Objects are tracked across all records (a repeated object is `[Circular]`, as in one record).
 */
export function redactInto(target: Record<string, unknown>, ...records: object[]): Record<string, unknown> {
  const seen = new Seen();
  for (const record of records) copyFields(target, record, 1, seen);
  return target;
}

/** The objects met on the way down; the WeakSet is made on the first one (most log fields are scalars). */
class Seen {
  private set: WeakSet<object> | undefined;
  has(value: object): boolean {
    return this.set?.has(value) ?? false;
  }
  add(value: object): void {
    (this.set ??= new WeakSet()).add(value);
  }
}

function copyFields(out: Record<string, unknown>, value: object, depth: number, seen: Seen): void {
  for (const [key, field] of Object.entries(value)) {
    out[key] = isSecretKey(key) && field !== undefined && field !== null ? REDACTED : redactValue(field, depth, seen);
  }
}

function redactValue(value: unknown, depth: number, seen: Seen): unknown {
  if (typeof value === 'string') return redactText(value);
  if (typeof value === 'bigint') return value.toString();
  if (value === null || typeof value !== 'object') return typeof value === 'function' ? undefined : value;
  if (seen.has(value)) return '[Circular]';
  if (depth >= MAX_DEPTH) return '[Truncated]';
  seen.add(value);
  if (value instanceof Error) {
    return redactValue({ name: value.name, message: value.message, stack: value.stack, ...fieldsOf(value) }, depth + 1, seen);
  }
  if (value instanceof Date) return value.toISOString();
  if (Buffer.isBuffer(value)) return `[${value.length} bytes]`;
  if (Array.isArray(value)) return value.map((item) => redactValue(item, depth + 1, seen));
  const out: Record<string, unknown> = {};
  copyFields(out, value, depth + 1, seen);
  return out;
}

function fieldsOf(error: Error): Record<string, unknown> {
  return Object.fromEntries(Object.entries(error).filter(([key]) => key !== 'name' && key !== 'message' && key !== 'stack'));
}
