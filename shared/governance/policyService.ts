import type { Principal } from '../platform/auth/principal';
import type { ChangeContext, EventOutbox } from '../platform/eventOutbox';
import { PreconditionFailed } from '../platform/http/errors';
import { checkIfMatch } from '../platform/http/preconditions';
import { StoreConflict, type BatchOperation, type DocumentStore } from '../platform/ports';
import type { TenantService } from '../tenancy/service';
import { BUILT_IN_RULES } from './builtInRules';
import { toPoliciesUpdated } from './events';
import type { PolicyRule, PolicySetDocument, PolicySetView } from './schemas';
import { GOVERNANCE_CONTAINER, GovernanceStore, POLICY_SET_ID } from './store';

export interface PolicyServiceDeps {
  store: DocumentStore;
  outbox: EventOutbox;
  tenants: Pick<TenantService, 'require'>;
  now?: () => Date;
}

/** The tenant's own policy rules: read, and replaced as a whole. */
export class PolicyService {
  private readonly governance: GovernanceStore;
  private readonly now: () => Date;

  constructor(private readonly deps: PolicyServiceDeps) {
    this.governance = new GovernanceStore(deps.store);
    this.now = deps.now ?? (() => new Date());
  }

  /** The tenant's rules and the built-in rules every tenant has. */
  async get(tenantId: string): Promise<PolicySetView> {
    await this.deps.tenants.require(tenantId);
    const set = await this.governance.policySet(tenantId);
    return toPolicySetView(tenantId, set);
  }

  /** The rules with the ETag of the stored set (`undefined` before the first write). */
  async getVersioned(tenantId: string): Promise<{ view: PolicySetView; etag?: string }> {
    await this.deps.tenants.require(tenantId);
    const set = await this.governance.policySet(tenantId);
    return { view: toPolicySetView(tenantId, set), ...(set ? { etag: set._etag } : {}) };
  }

  /**
   * Replaces the tenant's rule list (validated at the edge), each write audited. Without `ifMatch`
   * the last writer wins; with it (the ETag of `GET`), a stale or concurrent version answers 412.
   */
  async replace(tenantId: string, rules: PolicyRule[], change: ChangeContext & { principal: Principal }, ifMatch?: string[]): Promise<PolicySetView> {
    await this.deps.tenants.require(tenantId);
    const set: PolicySetDocument = { id: POLICY_SET_ID, tenantId, type: 'policySet', rules, updatedAt: this.now().toISOString(), updatedBy: change.principal.id };
    const current = ifMatch ? await this.governance.policySet(tenantId) : undefined;
    if (ifMatch && !ifMatch.includes('*')) checkIfMatch(ifMatch, current?._etag ?? '', `The policies of '${tenantId}'`);
    const operation: BatchOperation = current ? { op: 'replace', document: set, ifMatch: current._etag } : { op: 'upsert', document: set };
    try {
      await this.deps.outbox.commit(GOVERNANCE_CONTAINER, { tenantId }, [operation], [toPoliciesUpdated(tenantId, rules, change)]);
    } catch (error) {
      if (ifMatch && error instanceof StoreConflict) throw new PreconditionFailed(`The policies of '${tenantId}' changed since the version named in If-Match; read them again and retry.`);
      throw error;
    }
    return toPolicySetView(tenantId, set);
  }
}

function toPolicySetView(tenantId: string, set: PolicySetDocument | undefined): PolicySetView {
  return {
    tenantId,
    rules: set?.rules ?? [],
    builtIn: [...BUILT_IN_RULES],
    ...(set ? { updatedAt: set.updatedAt, updatedBy: set.updatedBy } : {}),
  };
}
