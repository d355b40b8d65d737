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

/** The tip of the chain, updated with optimistic concurrency on every append; `mac` binds it to the key. */
export interface AuditHead extends StoredDocument {
  type: 'auditHead';
  seq: number;
  hash: string;
  mac: string;
}

/** One per appended event id (idempotency), keyed to the entry it produced: deleted entries leave these behind. */
export interface AuditEventMarker extends StoredDocument {
  type: 'auditEventMarker';
  eventId: string;
  seq: number;
  hash: string;
  mac: string;
}

/** A signed statement that the tenant's chain had `seq` entries ending in `hash` at `at` (Ed25519 over the canonical JSON of the other fields). */
export const auditCheckpoint = z
  .object({
    tenantId: z.string().min(1),
    seq: z.number().int().nonnegative(),
    hash: z.string().regex(/^[0-9a-f]{64}$/),
    at: z.iso.datetime({ offset: true }),
    keyId: z.string().min(1),
    signature: z.string().min(1).describe('base64url Ed25519 signature'),
  })
  .meta({ id: 'AuditCheckpoint' });

export type AuditCheckpoint = z.infer<typeof auditCheckpoint>;

export const auditCheckpointView = auditCheckpoint.extend({
  publicKey: z.string().describe('SPKI PEM of the key that signed it, to verify offline'),
});

/** Body of `POST .../audit/verify`: optionally a checkpoint exported earlier, which the log must still extend. */
export const verifyBody = z.strictObject({ checkpoint: auditCheckpoint.optional() });

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
  /** Only the entries of one W3C trace (32 lowercase hex): everything one request or workflow caused. */
  traceId: z.string().regex(/^[0-9a-f]{32}$/, 'a W3C trace id: 32 lowercase hex characters').optional(),
});

/**
 * Why a link is broken: `hash-mismatch` the entry's content does not match its keyed hash (edited,
 * re-hashed or forged); `broken-link` its predecessor hash differs; `missing-entry` a gap;
 * `reordered` an authentic entry sits at another position; `truncated` entries the head, a marker
 * or a checkpoint proves existed are gone; `head-mismatch` the head is not the keyed tip of the
 * chain; `checkpoint-mismatch` the chain no longer extends a checkpoint; `bad-checkpoint` the
 * checkpoint given is not validly signed for this tenant.
 */
export const brokenReason = z.enum(['hash-mismatch', 'broken-link', 'missing-entry', 'reordered', 'truncated', 'head-mismatch', 'checkpoint-mismatch', 'bad-checkpoint']);

export const verifyReport = z.object({
  ok: z.boolean(),
  checked: z.number().int().describe('Entries verified before the first broken link'),
  headSeq: z.number().int(),
  checkpoint: z.object({ seq: z.number().int(), source: z.enum(['given', 'witness']), extended: z.boolean() }).optional().describe('The furthest checkpoint the chain was checked against'),
  firstBroken: z.object({ seq: z.number().int(), entryId: z.string(), reason: brokenReason, detail: z.string().optional() }).optional(),
});

export type VerifyReport = z.infer<typeof verifyReport>;
