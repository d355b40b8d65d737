import type { Principal } from '../platform/auth/principal';
import type { ChangeContext, EventOutbox } from '../platform/eventOutbox';
import { Conflict, Forbidden, NotFound, Validation } from '../platform/http/errors';
import { idSchema } from '../platform/http/tenantParams';
import { StoreConflict, type DocumentStore, type Versioned } from '../platform/ports';
import { FEATURES, toEffectiveEntitlements } from './editions';
import { toTenantCreated, toTenantUpdated } from './events';
import { toSlug, toTenantView, type EntitlementsView, type NewTenant, type TenantDocument, type TenantPatch, type TenantView } from './schemas';
import { TENANTS_CONTAINER, TenantStore } from './store';

export interface TenancyDeps {
  store: DocumentStore;
  outbox: EventOutbox;
  now?: () => Date;
}

/** Tenants, their edition and feature flags, and the entitlements that follow from both. */
export class TenantService {
  private readonly tenants: TenantStore;
  private readonly now: () => Date;

  constructor(private readonly deps: TenancyDeps) {
    this.tenants = new TenantStore(deps.store);
    this.now = deps.now ?? (() => new Date());
  }

  /** Creates a tenant (id = `tenantId` or the slug of its name); 409 when the id is taken. */
  async create(input: NewTenant, change: ChangeContext & { principal: Principal }): Promise<TenantView> {
    const tenantId = input.tenantId ?? toSlug(input.name);
    if (!idSchema.safeParse(tenantId).success) {
      throw new Validation([{ path: 'body.tenantId', message: 'required: the name gives no usable slug' }]);
    }
    const at = this.now().toISOString();
    const tenant: TenantDocument = { id: tenantId, tenantId, type: 'tenant', name: input.name, edition: input.edition, featureFlags: {}, createdAt: at, createdBy: change.principal.id, updatedAt: at };
    try {
      await this.deps.outbox.commit(TENANTS_CONTAINER, { tenantId }, [{ op: 'create', document: tenant }], [toTenantCreated(tenant, change)]);
    } catch (error) {
      if (error instanceof StoreConflict) throw new Conflict(`Tenant '${tenantId}' already exists.`, 'TenantExists');
      throw error;
    }
    return toTenantView(tenant);
  }

  /** The tenant, or 404. */
  async require(tenantId: string): Promise<Versioned<TenantDocument>> {
    const tenant = await this.tenants.read(tenantId);
    if (!tenant) throw new NotFound(`Tenant '${tenantId}' was not found.`);
    return tenant;
  }

  async get(tenantId: string): Promise<TenantView> {
    return toTenantView(await this.require(tenantId));
  }

  /** Applies a patch; only a PlatformAdmin may change the edition. Nothing changed → nothing written. */
  async update(tenantId: string, patch: TenantPatch, change: ChangeContext & { principal: Principal }): Promise<TenantView> {
    if (patch.edition !== undefined && !change.principal.roles.includes('PlatformAdmin')) {
      throw new Forbidden('Only a PlatformAdmin may change the edition of a tenant.');
    }
    const { _etag, ...current } = await this.require(tenantId);
    const next: TenantDocument = { ...current, featureFlags: { ...current.featureFlags } };
    const changes: string[] = [];
    if (patch.name !== undefined && patch.name !== current.name) {
      next.name = patch.name;
      changes.push('name');
    }
    if (patch.edition !== undefined && patch.edition !== current.edition) {
      next.edition = patch.edition;
      changes.push('edition');
    }
    for (const feature of FEATURES) {
      const flag = patch.featureFlags?.[feature];
      if (flag === undefined || flag === (current.featureFlags[feature] ?? null)) continue;
      if (flag === null) delete next.featureFlags[feature];
      else next.featureFlags[feature] = flag;
      changes.push(`featureFlags.${feature}`);
    }
    if (changes.length === 0) return toTenantView(current);
    next.updatedAt = this.now().toISOString();
    await this.deps.outbox.commit(TENANTS_CONTAINER, { tenantId }, [{ op: 'replace', document: next, ifMatch: _etag }], [toTenantUpdated(next, changes, change)]);
    return toTenantView(next);
  }

  /** The effective entitlements: the edition's, with the tenant's feature flags applied. */
  async entitlements(tenantId: string): Promise<EntitlementsView> {
    const tenant = await this.require(tenantId);
    const effective = toEffectiveEntitlements(tenant.edition, tenant.featureFlags);
    return { tenantId, edition: tenant.edition, ...effective, allowedModelProviders: [...effective.allowedModelProviders], features: [...effective.features] };
  }
}
