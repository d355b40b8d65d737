import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import type { BlobRef, BlobStore, HealthCheck } from '../ports';
import { contentHashOf, isContentHash } from './contentHash';

/** What the JSON sidecar next to each blob records. */
interface BlobSidecar {
  contentType: string;
  size: number;
}

/**
 * Content-addressed files (owner-only: folders 0700, files 0600):
 * `<dataDir>/artifacts/<hash[0..2]>/<hash>`, with `<hash>.json` holding
 * the content type. Files are written to a temporary name and renamed, so a reader never sees a
 * partial blob; content already present is not written again and keeps its first content type
 * (the returned ref carries the caller's).
 */
export class FileBlobStore implements BlobStore {
  readonly root: string;

  constructor(dataDir: string) {
    this.root = path.join(dataDir, 'artifacts');
  }

  async put(content: Buffer, contentType: string): Promise<BlobRef> {
    const contentHash = contentHashOf(content);
    const ref = { contentHash, size: content.length, contentType };
    const file = this.pathOf(contentHash);
    if (await present(file)) return ref;
    await fs.mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
    const sidecar: BlobSidecar = { contentType, size: content.length };
    await writeAtomically(`${file}.json`, JSON.stringify(sidecar));
    await writeAtomically(file, content);
    return ref;
  }

  async get(contentHash: string): Promise<Buffer | undefined> {
    if (!isContentHash(contentHash)) return undefined;
    try {
      return await fs.readFile(this.pathOf(contentHash));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
  }

  async exists(contentHash: string): Promise<boolean> {
    return isContentHash(contentHash) && present(this.pathOf(contentHash));
  }

  /** Healthy when the artifacts folder exists (or can be made) and is writable. */
  async check(): Promise<HealthCheck> {
    try {
      await fs.mkdir(this.root, { recursive: true, mode: 0o700 });
      await fs.access(this.root, fs.constants.W_OK);
      return { name: 'blobs', adapter: 'files', ok: true, detail: this.root };
    } catch (error) {
      return { name: 'blobs', adapter: 'files', ok: false, detail: (error as Error).message };
    }
  }

  private pathOf(contentHash: string): string {
    return path.join(this.root, contentHash.slice(0, 2), contentHash);
  }
}

async function present(file: string): Promise<boolean> {
  try {
    await fs.access(file);
    return true;
  } catch {
    return false;
  }
}

/** Same-folder temp file + rename: atomic on one file system, and a concurrent twin is harmless. */
async function writeAtomically(file: string, data: string | Buffer): Promise<void> {
  const temp = `${file}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
  try {
    await fs.writeFile(temp, data, { mode: 0o600 });
    await fs.rename(temp, file);
  } catch (error) {
    await fs.rm(temp, { force: true });
    throw error;
  }
}
