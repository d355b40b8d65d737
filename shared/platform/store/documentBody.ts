import type { StoredDocument, Versioned } from '../ports';

/** System properties a caller may hand back from a read; never stored as part of the body. */
const SYSTEM_FIELDS = ['_etag', '_rid', '_self', '_ts', '_attachments'] as const;

/** The document without system properties, as it is written. */
export function toDocumentBody<T extends StoredDocument>(document: T): T {
  const body = { ...document } as Record<string, unknown>;
  for (const field of SYSTEM_FIELDS) delete body[field];
  return body as T;
}

/**
 * A stored document as the port returns it: the caller's fields plus `_etag`, without Cosmos DB's
 * other system properties (`_rid`, `_self`, `_ts`, `_attachments`).
 */
export function fromCosmosDocument<T extends StoredDocument>(resource: Record<string, unknown>, etag?: string): Versioned<T> {
  const document = toDocumentBody(resource as StoredDocument) as Record<string, unknown>;
  return { ...document, _etag: etag ?? (resource._etag as string) } as Versioned<T>;
}
