import { sign, verify } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { canonicalJson } from '../platform/canonicalJson';
import { toDocumentId } from '../platform/store/documentId';
import type { AuditKeys } from './keys';
import type { AuditCheckpoint } from './schemas';

type Unsigned = Omit<AuditCheckpoint, 'signature'>;

const signedText = (c: Unsigned) => Buffer.from(canonicalJson({ tenantId: c.tenantId, seq: c.seq, hash: c.hash, at: c.at, keyId: c.keyId }));

/** Signs a checkpoint of the tenant's chain tip (Ed25519, as Certificate Transparency signs tree heads). */
export function signCheckpoint(keys: AuditKeys, tip: { tenantId: string; seq: number; hash: string }, at: Date): AuditCheckpoint {
  const unsigned: Unsigned = { tenantId: tip.tenantId, seq: tip.seq, hash: tip.hash, at: at.toISOString(), keyId: keys.keyId };
  return { ...unsigned, signature: sign(null, signedText(unsigned), keys.signingKey).toString('base64url') };
}

/** True when `checkpoint` was signed with these keys. */
export function isSignedCheckpoint(keys: AuditKeys, checkpoint: AuditCheckpoint): boolean {
  if (checkpoint.keyId !== keys.keyId) return false;
  try {
    return verify(null, signedText(checkpoint), keys.publicKey, Buffer.from(checkpoint.signature, 'base64url'));
  } catch {
    return false;
  }
}

/** Where the trail keeps its latest checkpoint per tenant, outside the chain's store. */
export interface CheckpointWitness {
  latest(tenantId: string): Promise<AuditCheckpoint | undefined>;
  /** Keeps `checkpoint` unless the witness already holds a later one. */
  record(checkpoint: AuditCheckpoint): Promise<void>;
}

/**
 * Checkpoints as files under `<dataDir>/audit-checkpoints/` (0600, written atomically), apart from
 * the document store: deleting or rewinding the chain in the store cannot rewind them.
 */
export class FileCheckpointWitness implements CheckpointWitness {
  private readonly dir: string;

  constructor(dataDir: string) {
    this.dir = path.join(dataDir, 'audit-checkpoints');
  }

  async latest(tenantId: string): Promise<AuditCheckpoint | undefined> {
    try {
      return JSON.parse(await fs.readFile(this.fileOf(tenantId), 'utf8')) as AuditCheckpoint;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
  }

  async record(checkpoint: AuditCheckpoint): Promise<void> {
    const current = await this.latest(checkpoint.tenantId);
    if (current && current.seq >= checkpoint.seq) return;
    await fs.mkdir(this.dir, { recursive: true, mode: 0o700 });
    const file = this.fileOf(checkpoint.tenantId);
    const temporary = `${file}.${process.pid}.${Date.now()}.tmp`;
    await fs.writeFile(temporary, JSON.stringify(checkpoint), { mode: 0o600 });
    await fs.rename(temporary, file);
  }

  private fileOf(tenantId: string): string {
    return path.join(this.dir, `${toDocumentId('checkpoint', tenantId)}.json`);
  }
}
