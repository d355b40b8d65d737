import { createHash, createPrivateKey, createPublicKey, hkdfSync, randomBytes, type KeyObject } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

/** The audit trail's keys: one secret, split by HKDF (RFC 5869) into a chain MAC key and an Ed25519 signing key. */
export interface AuditKeys {
  /** HMAC-SHA256 key of entry hashes, head and markers. */
  chainKey: Buffer;
  /** Signs checkpoints (Ed25519, RFC 8032). */
  signingKey: KeyObject;
  /** Verifies checkpoints; given out with every checkpoint (SPKI PEM). */
  publicKey: KeyObject;
  /** First 16 hex of SHA-256 over the public key: names the key a checkpoint was signed with. */
  keyId: string;
}

/** PKCS#8 DER prefix of a raw 32-byte Ed25519 private key (RFC 8410 §7). */
const ED25519_PKCS8_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');
const KEY_FILE = 'audit.key';

/** Derives both keys from one secret of at least 32 bytes. */
export function toAuditKeys(secret: Buffer): AuditKeys {
  if (secret.length < 32) throw new Error('The audit key must hold at least 32 bytes.');
  const derive = (info: string) => Buffer.from(hkdfSync('sha256', secret, Buffer.alloc(0), info, 32));
  const signingKey = createPrivateKey({ key: Buffer.concat([ED25519_PKCS8_PREFIX, derive('audit-checkpoint-ed25519')]), format: 'der', type: 'pkcs8' });
  const publicKey = createPublicKey(signingKey);
  const keyId = createHash('sha256').update(publicKey.export({ format: 'der', type: 'spki' })).digest('hex').slice(0, 16);
  return { chainKey: derive('audit-chain-hmac'), signingKey, publicKey, keyId };
}

/**
 * The keys from `FACTORY_AUDIT_KEY` (base64; in Azure an app setting that references Key Vault),
 * else from `<dataDir>/audit.key`, created on first use with owner-only permissions (0600).
 */
export function loadAuditKeys(setting: string | undefined, dataDir: string): AuditKeys {
  if (setting) return toAuditKeys(Buffer.from(setting, 'base64'));
  const file = path.join(dataDir, KEY_FILE);
  fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  try {
    fs.writeFileSync(file, randomBytes(32).toString('base64'), { flag: 'wx', mode: 0o600 });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  return toAuditKeys(Buffer.from(fs.readFileSync(file, 'utf8').trim(), 'base64'));
}
