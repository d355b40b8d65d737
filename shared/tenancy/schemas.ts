import { z } from 'zod';
import { idSchema } from '../platform/http/tenantParams';
import type { StoredDocument } from '../platform/ports';
import { editionSchema, featureSchema, MODEL_PROVIDERS, type Edition, type FeatureFlags } from './editions';

/** A tenant as stored: container `tenants`, partition `{ tenantId }`, id = tenantId. */
export interface TenantDocument extends StoredDocument {
  type: 'tenant';
  name: string;
  edition: Edition;
  featureFlags: FeatureFlags;
  createdAt: string;
  createdBy: string;
  updatedAt: string;
  /** Absent: active. Suspended and deleted tenants' keys and tokens stop working (`TenantStatusGuard`). */
  status?: TenantStatus;
  suspendedAt?: string;
  deletedAt?: string;
}

/** A tenant's lifecycle: PlatformAdmin suspends (reversible) or deletes (final; the record and audit trail stay). */
export const TENANT_STATUSES = ['active', 'suspended', 'deleted'] as const;
export type TenantStatus = (typeof TENANT_STATUSES)[number];

/** Body of `POST /api/tenants/{tenantId}/suspend` and `DELETE /api/tenants/{tenantId}` (both optional). */
export const tenantStatusChangeSchema = z.strictObject({ reason: z.string().trim().min(1).max(500).optional() }).default({}).meta({ id: 'TenantStatusChange' });

const tenantName = z.string().trim().min(1).max(100);

/** Body of `POST /api/tenants`; without `tenantId` the id is the slug of the name. */
export const newTenantSchema = z
  .strictObject({
    tenantId: idSchema.optional().describe('Default: the slug of the name'),
    name: tenantName,
    edition: editionSchema,
  })
  .meta({ id: 'NewTenant' });

export type NewTenant = z.infer<typeof newTenantSchema>;

/** Body of `PATCH /api/tenants/{tenantId}`: a flag set to `null` drops the override. */
export const tenantPatchSchema = z
  .strictObject({
    name: tenantName.optional(),
    edition: editionSchema.optional().describe('PlatformAdmin only'),
    featureFlags: z.partialRecord(featureSchema, z.boolean().nullable()).optional().describe('false withdraws an edition feature, null returns to the edition default; true beyond the edition is PlatformAdmin only'),
  })
  .refine((patch) => Object.values(patch).some((value) => value !== undefined), 'at least one of name, edition, featureFlags')
  .meta({ id: 'TenantPatch' });

export type TenantPatch = z.infer<typeof tenantPatchSchema>;

export const tenantView = z
  .object({
    tenantId: z.string(),
    name: z.string(),
    edition: editionSchema,
    featureFlags: z.partialRecord(featureSchema, z.boolean()),
    status: z.enum(TENANT_STATUSES),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .meta({ id: 'Tenant' });

export type TenantView = z.infer<typeof tenantView>;

export const entitlementsView = z
  .object({
    tenantId: z.string(),
    edition: editionSchema,
    maxProjects: z.number().int(),
    maxConcurrentWorkflows: z.number().int(),
    monthlyTokenBudget: z.number().int(),
    maxBlueprintVersionsPerProject: z.number().int(),
    maxApiKeys: z.number().int(),
    maxArtifactsPerProject: z.number().int(),
    allowedModelProviders: z.array(z.enum(MODEL_PROVIDERS)),
    features: z.array(featureSchema).describe('The edition features with the tenant feature flags applied'),
  })
  .meta({ id: 'Entitlements' });

export type EntitlementsView = z.infer<typeof entitlementsView>;

/** `?limit=&continuation=` of `GET /api/tenants`. */
export const tenantPageQuery = z.object({
  limit: z.coerce.number().int().min(1).max(1000).default(100),
  continuation: z.string().min(1).optional(),
});

export const tenantPage = z.object({ items: z.array(tenantView), continuation: z.string().optional() }).meta({ id: 'TenantPage' });

/** The tenant as clients see it. */
export function toTenantView(document: TenantDocument): TenantView {
  const { tenantId, name, edition, featureFlags, createdAt, updatedAt } = document;
  return { tenantId, name, edition, featureFlags, status: document.status ?? 'active', createdAt, updatedAt };
}

/** `"Acme Corp."` → `acme-corp`: lower case, runs of other characters become one dash, at most 63. */
export function toSlug(name: string): string {
  return name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .slice(0, 63)
    .replace(/^-+|-+$/g, '');
}
