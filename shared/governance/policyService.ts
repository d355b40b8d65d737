import type { Principal } from '../platform/auth/principal';
import type { ChangeContext, EventOutbox } from '../platform/eventOutbox';
import type { DocumentStore } from '../platform/ports';
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

  /** Replaces the tenant's rule list (validated at the edge); last writer wins, each write audited. */
  async replace(tenantId: string, rules: PolicyRule[], change: ChangeContext & { principal: Principal }): Promise<PolicySetView> {
    await this.deps.tenants.require(tenantId);
    const set: PolicySetDocument = { id: POLICY_SET_ID, tenantId, type: 'policySet', rules, updatedAt: this.now().toISOString(), updatedBy: change.principal.id };
    await this.deps.outbox.commit(GOVERNANCE_CONTAINER, { tenantId }, [{ op: 'upsert', document: set }], [toPoliciesUpdated(tenantId, rules, change)]);
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
