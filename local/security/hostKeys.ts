import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

/**
 * The host's keys, as Azure Functions has them: the master key (admin routes, any authLevel), the
 * Durable extension's system key (`durabletask_extension`, the `/runtime/webhooks/durabletask` API)
 * and the default function key (`authLevel: 'function'` triggers).
 */
export interface HostKeys {
  masterKey: string;
  systemKey: string;
  functionKey: string;
}

export type KeyName = keyof HostKeys;

/** Where each key came from: a setting (environment or local.settings.json) or the data dir's key file. */
export interface LoadedHostKeys extends HostKeys {
  file: string;
  /** True when this call generated (and stored) at least one key. */
  generated: boolean;
  sources: Record<KeyName, 'setting' | 'file' | 'generated'>;
}

/** The settings that override the stored keys. */
export const KEY_SETTINGS: Record<KeyName, string> = {
  masterKey: 'FACTORY_HOST_MASTER_KEY',
  systemKey: 'FACTORY_HOST_SYSTEM_KEY',
  functionKey: 'FACTORY_HOST_FUNCTION_KEY',
};

/** Keys chosen by a person must be at least this long (Azure's generated keys are 40+ characters). */
export const MIN_KEY_LENGTH = 16;

export const KEY_FILE = 'host-keys.json';

/** 32 random bytes, base64url: 43 characters, safe in a query string and a URL path segment. */
export function generateKey(): string {
  return randomBytes(32).toString('base64url');
}

/**
 * Reads the keys: each from its setting when set, else from `<dataDir>/host-keys.json`, else
 * generated and stored there (file mode 0600, data dir created 0700). Throws with the setting's name
 * when a configured key is shorter than 16 characters or contains characters other than
 * `A-Z a-z 0-9 - _ . ~ = +` (keys travel in query strings and URL paths).
 */
export function loadHostKeys(dataDir: string, env: NodeJS.ProcessEnv = process.env): LoadedHostKeys {
  const file = path.join(dataDir, KEY_FILE);
  const stored = readKeyFile(file);
  const keys = {} as HostKeys;
  const sources = {} as LoadedHostKeys['sources'];
  let generated = false;
  for (const name of Object.keys(KEY_SETTINGS) as KeyName[]) {
    const configured = env[KEY_SETTINGS[name]];
    if (configured !== undefined && configured !== '') {
      keys[name] = checkConfiguredKey(KEY_SETTINGS[name], configured);
      sources[name] = 'setting';
    } else if (stored[name]) {
      keys[name] = stored[name]!;
      sources[name] = 'file';
    } else {
      keys[name] = generateKey();
      sources[name] = 'generated';
      generated = true;
    }
  }
  if (generated) writeKeyFile(file, { ...stored, ...Object.fromEntries((Object.keys(keys) as KeyName[]).filter((k) => sources[k] === 'generated').map((k) => [k, keys[k]])) });
  return { ...keys, file, generated, sources };
}

function checkConfiguredKey(setting: string, value: string): string {
  if (value.length < MIN_KEY_LENGTH) throw new Error(`Setting ${setting} must be at least ${MIN_KEY_LENGTH} characters long.`);
  if (!/^[A-Za-z0-9\-_.~=+]+$/.test(value)) throw new Error(`Setting ${setting} may only contain letters, digits and - _ . ~ = +.`);
  return value;
}

function readKeyFile(file: string): Partial<HostKeys> {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw error;
  }
  try {
    const parsed = JSON.parse(text) as Partial<HostKeys>;
    return typeof parsed === 'object' && parsed !== null ? parsed : {};
  } catch {
    throw new Error(`${file} is not valid JSON: fix or delete it (new keys are then generated).`);
  }
}

function writeKeyFile(file: string, keys: Partial<HostKeys>): void {
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  const temp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(temp, JSON.stringify(keys, null, 2) + '\n', { mode: 0o600 });
  fs.chmodSync(temp, 0o600);
  fs.renameSync(temp, file);
}

const digest = (value: string) => createHash('sha256').update(value).digest();

/** Constant-time comparison (of SHA-256 digests, so lengths do not leak either). */
export function sameKey(presented: string, expected: string): boolean {
  return timingSafeEqual(digest(presented), digest(expected));
}
