import type { Principal } from '../platform/auth/principal';
import type { ChangeContext, EventOutbox } from '../platform/eventOutbox';
import { Conflict, Forbidden, NotFound, PreconditionFailed, Validation } from '../platform/http/errors';
import { checkIfMatch } from '../platform/http/preconditions';
import { idSchema } from '../platform/http/tenantParams';
import { StoreConflict, type DocumentStore, type Page, type Versioned } from '../platform/ports';
import { EDITION_ENTITLEMENTS, FEATURES, toEffectiveEntitlements, type Edition } from './editions';
import { toTenantCreated, toTenantUpdated } from './events';
import { toSlug, toTenantView, type EntitlementsView, type NewTenant, type TenantDocument, type TenantPatch, type TenantView } from './schemas';
import { TenantRegistry, type TenantPageQuery } from './registry';
import { TENANTS_CONTAINER, TenantStore } from './store';

export interface TenancyDeps {
  store: DocumentStore;
  outbox: EventOutbox;
  now?: () => Date;
}

/** Tenants, their edition and feature flags, and the entitlements that follow from both. */
export class TenantService {
  private readonly tenants: TenantStore;
  private readonly registry: TenantRegistry;
  private readonly now: () => Date;

  constructor(private readonly deps: TenancyDeps) {
    this.tenants = new TenantStore(deps.store);
    this.registry = new TenantRegistry(deps.store);
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
    await this.registry.refresh(tenantId);
    return toTenantView(tenant);
  }

  /** The tenant, or 404 (a deleted tenant too). */
  async require(tenantId: string): Promise<Versioned<TenantDocument>> {
    const tenant = await this.tenants.read(tenantId);
    if (!tenant || tenant.status === 'deleted') throw new NotFound(`Tenant '${tenantId}' was not found.`);
    return tenant;
  }

  /** The tenant with its ETag (for `ETag` / `If-Match`). */
  async getVersioned(tenantId: string): Promise<{ tenant: TenantView; etag: string }> {
    const tenant = await this.require(tenantId);
    return { tenant: toTenantView(tenant), etag: tenant._etag };
  }

  async get(tenantId: string): Promise<TenantView> {
    return toTenantView(await this.require(tenantId));
  }

  /**
   * Applies a patch. Only a PlatformAdmin may change the edition or switch on a feature the edition
   * lacks (issue 9 §5: a tenant's own flags may only narrow what its edition grants). With `ifMatch`
   * (the tenant's ETag) a stale version answers 412. Nothing changed → nothing written.
   */
  async update(tenantId: string, patch: TenantPatch, change: ChangeContext & { principal: Principal }, ifMatch?: string[]): Promise<TenantView> {
    const platformAdmin = change.principal.roles.includes('PlatformAdmin');
    if (patch.edition !== undefined && !platformAdmin) {
      throw new Forbidden('Only a PlatformAdmin may change the edition of a tenant.');
    }
    const { _etag, ...current } = await this.require(tenantId);
    checkIfMatch(ifMatch, _etag, `Tenant '${tenantId}'`);
    if (!platformAdmin) assertOnlyNarrows(patch, current.edition);
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
    try {
      await this.deps.outbox.commit(TENANTS_CONTAINER, { tenantId }, [{ op: 'replace', document: next, ifMatch: _etag }], [toTenantUpdated(next, changes, change)]);
    } catch (error) {
      if (ifMatch && error instanceof StoreConflict) throw new PreconditionFailed(`Tenant '${tenantId}' changed since the version named in If-Match; read it again and retry.`);
      throw error;
    }
    await this.registry.refresh(tenantId);
    return toTenantView(next);
  }

  /** Every tenant (deleted ones too, with their status), oldest first, from the platform registry. */
  list(page: TenantPageQuery): Promise<Page<TenantView>> {
    return this.registry.list(page);
  }

  /** The effective entitlements: the edition's, with the tenant's feature flags applied. */
  async entitlements(tenantId: string): Promise<EntitlementsView> {
    const tenant = await this.require(tenantId);
    const effective = toEffectiveEntitlements(tenant.edition, tenant.featureFlags);
    return { tenantId, edition: tenant.edition, ...effective, allowedModelProviders: [...effective.allowedModelProviders], features: [...effective.features] };
  }
}

/** 403 `FeatureNotInEdition` when a non-PlatformAdmin patch switches on a feature its edition lacks. */
function assertOnlyNarrows(patch: TenantPatch, edition: Edition): void {
  const granted = EDITION_ENTITLEMENTS[edition].features;
  const widening = FEATURES.filter((feature) => patch.featureFlags?.[feature] === true && !granted.includes(feature));
  if (widening.length > 0) {
    throw new Forbidden(`The ${edition} edition does not include ${widening.join(', ')}; feature flags may only narrow it (a PlatformAdmin may grant more).`, 'FeatureNotInEdition');
  }
}
