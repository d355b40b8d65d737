import { getPlatform, type Platform } from '../platform/composition';
import type { EventOutbox } from '../platform/eventOutbox';
import type { DocumentStore } from '../platform/ports';
import { TenantService } from '../tenancy/service';
import { ApprovalService } from './approvalService';
import { DecisionConfirmation } from './decisionConfirmation';
import { PolicyEngine } from './policyEngine';
import { PolicyService } from './policyService';

export { ApprovalService } from './approvalService';
export { PolicyEngine, type PolicyContext } from './policyEngine';
export { PolicyService } from './policyService';

/** The governance context's services: the policy engine, the tenant's rules, approvals. */
export interface Governance {
  engine: PolicyEngine;
  policies: PolicyService;
  approvals: ApprovalService;
  /** The gates' check of a raised decision against the approval record. */
  confirmations: DecisionConfirmation;
}

export interface GovernanceDeps {
  store: DocumentStore;
  outbox: EventOutbox;
  tenants?: TenantService;
  now?: () => Date;
}

/** Builds the services over a store and an outbox (tests build them over their own store). */
export function createGovernance(deps: GovernanceDeps): Governance {
  const tenants = deps.tenants ?? new TenantService({ store: deps.store, outbox: deps.outbox, now: deps.now });
  const shared = { store: deps.store, outbox: deps.outbox, tenants, now: deps.now };
  return { engine: new PolicyEngine(shared), policies: new PolicyService(shared), approvals: new ApprovalService(shared), confirmations: new DecisionConfirmation(shared) };
}

const built = new WeakMap<Platform, Governance>();

/** The governance services on the process's platform (for handlers and durable activities). */
export async function getGovernance(): Promise<Governance> {
  const platform = await getPlatform();
  let governance = built.get(platform);
  if (!governance) {
    governance = createGovernance({ store: platform.store, outbox: platform.outbox });
    built.set(platform, governance);
  }
  return governance;
}
