import { z } from 'zod';
import { apiKeySummarySchema } from '../platform/auth/apiKeySchemas';
import { roleSchema } from '../platform/auth/roles';
import { tenantParams } from '../platform/http/tenantParams';

export { createdApiKeySchema, newApiKeySchema, type CreatedApiKey, type NewApiKey } from '../platform/auth/apiKeySchemas';

/** `keyId` as the create answer gives it: `<tenant>.<random>`. */
export const keyParams = tenantParams.extend({ keyId: z.string().regex(/^[A-Za-z0-9%_-]{1,190}\.[0-9a-f]{1,64}$/, 'a keyId as returned by the create') });

/** `?limit=&continuation=` of a list. */
export const keyPageQuery = z.object({
  limit: z.coerce.number().int().min(1).max(1000).default(100),
  continuation: z.string().min(1).optional(),
});

export type KeyPageQuery = z.infer<typeof keyPageQuery>;

export const apiKeyPage = z.object({ items: z.array(apiKeySummarySchema), continuation: z.string().optional() }).meta({ id: 'ApiKeyPage' });

/** The caller as the factory sees it. */
export const meView = z
  .object({
    id: z.string().describe('apikey:<keyId> or entra:<object id>'),
    tenantId: z.string().nullable().describe('null for a platform principal'),
    roles: z.array(roleSchema),
    kind: z.enum(['apiKey', 'entra']),
    name: z.string().optional(),
  })
  .meta({ id: 'Me' });

export type MeView = z.infer<typeof meView>;
