import { createHash } from 'node:crypto';

/**
 * A document id derived from free-form parts (event ids, consumer names) that is always a valid
 * Cosmos DB id: short, and free of `/ \ ? #`.
 */
export function toDerivedId(prefix: string, ...parts: string[]): string {
  const digest = createHash('sha256').update(parts.join('\u0000')).digest('hex').slice(0, 40);
  return `${prefix}-${digest}`;
}
