import { z } from 'zod';
import type { StoredDocument } from '../platform/ports';

/** The hash the first entry of every tenant's chain points back to. */
export const GENESIS_HASH = '0'.repeat(64);

/** One link of a tenant's audit chain: what happened, who did it, and the hash binding it to its predecessor. */
export interface AuditEntry extends StoredDocument {
  type: 'auditEntry';
  seq: number;
  at: string;
  eventId: string;
  action: string;
  subject: string | null;
  actor: string | null;
  source: string;
  traceId: string | null;
  data: unknown;
  prevHash: string;
  hash: string;
}

/** The tip of the chain, updated with optimistic concurrency on every append. */
export interface AuditHead extends StoredDocument {
  type: 'auditHead';
  seq: number;
  hash: string;
}

export const auditEntryView = z.object({
  seq: z.number().int(),
  at: z.string(),
  eventId: z.string(),
  action: z.string(),
  subject: z.string().nullable(),
  actor: z.string().nullable(),
  source: z.string(),
  traceId: z.string().nullable(),
  data: z.unknown(),
  prevHash: z.string(),
  hash: z.string(),
});

export const auditPage = z.object({ items: z.array(auditEntryView), continuation: z.string().optional() });

export const auditQuery = z.object({
  from: z.iso.datetime({ offset: true }).optional(),
  to: z.iso.datetime({ offset: true }).optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
  continuation: z.string().min(1).optional(),
});

export const verifyReport = z.object({
  ok: z.boolean(),
  checked: z.number().int(),
  headSeq: z.number().int(),
  firstBroken: z
    .object({ seq: z.number().int(), entryId: z.string(), reason: z.enum(['hash-mismatch', 'broken-link', 'missing-entry', 'head-mismatch']) })
    .optional(),
});

export type VerifyReport = z.infer<typeof verifyReport>;
