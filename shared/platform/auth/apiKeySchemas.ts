import { z } from 'zod';
import { ROLES } from './roles';

const tenantRoleSchema = z.enum(ROLES).refine((role) => role !== 'PlatformAdmin', 'PlatformAdmin cannot be granted to a tenant key');

/** What a caller sends to create an API key. */
export const newApiKeySchema = z.object({
  name: z.string().trim().min(1).max(100),
  roles: z.array(tenantRoleSchema).min(1).max(ROLES.length),
  expiresAt: z.iso.datetime({ offset: true }).optional().describe('Absent: the key never expires'),
});

export type NewApiKey = z.input<typeof newApiKeySchema>;

/** An API key as listed: everything but the secret and its hash. */
export const apiKeySummarySchema = z
  .object({
    keyId: z.string(),
    tenantId: z.string(),
    name: z.string(),
    roles: z.array(z.enum(ROLES)),
    createdAt: z.string(),
    expiresAt: z.string().optional(),
    revokedAt: z.string().optional(),
  })
  .meta({ id: 'ApiKey' });

export type ApiKeySummary = z.infer<typeof apiKeySummarySchema>;

/** The answer to a create: the summary and the secret, which is shown this once and never again. */
export const createdApiKeySchema = apiKeySummarySchema.extend({ secret: z.string() }).meta({ id: 'CreatedApiKey' });

export type CreatedApiKey = z.infer<typeof createdApiKeySchema>;
