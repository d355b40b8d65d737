import { createHash } from 'node:crypto';

const SHA256_HEX = /^[0-9a-f]{64}$/;

/** The blob address of some content: its sha256, lowercase hex. */
export function contentHashOf(content: Buffer): string {
  return createHash('sha256').update(content).digest('hex');
}

/** Whether a string is a well-formed content hash; anything else names no blob (and no path). */
export function isContentHash(value: string): boolean {
  return SHA256_HEX.test(value);
}
