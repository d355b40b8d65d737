import { randomUUID } from 'node:crypto';
import type { Principal } from '../platform/auth/principal';
import type { EventOutbox } from '../platform/eventOutbox';
import { NotFound } from '../platform/http/errors';
import { StoreConflict, type DocumentStore, type Page } from '../platform/ports';
import type { TenantService } from '../tenancy/service';
import { BUILT_IN_RULES } from './builtInRules';
import { evaluateRules } from './evaluateRules';
import { toPolicyDecided } from './events';
import type { PolicyDecision, PolicyDecisionDocument, PolicyDecisionQuery, PolicyPoint } from './schemas';
import { editionsUpTo } from '../tenancy/editions';
import { GOVERNANCE_CONTAINER, GovernanceStore, toDecisionDocumentId } from './store';

export interface PolicyEngineDeps {
  store: DocumentStore;
  outbox: EventOutbox;
  tenants: Pick<TenantService, 'entitlements' | 'require'>;
  now?: () => Date;
}

/** On whose behalf and where the policies are asked. */
export interface PolicyContext {
  tenantId: string;
  projectId?: string;
  workflowId?: string;
  principal: Pick<Principal, 'id'> | null;
  traceId: string;
  /**
   * A deterministic id (e.g. `${instanceId}:policy`) makes the evaluation idempotent: asking again
   * returns the recorded decision (durable activities run at least once).
   */
  decisionId?: string;
}

/**
 * Evaluates the built-in rules and the tenant's own rules at a point, and records every decision:
 * a document in `governance` and `PolicyDecided.v1` through the outbox (hence the audit trail).
 */
export class PolicyEngine {
  private readonly governance: GovernanceStore;
  private readonly now: () => Date;

  constructor(private readonly deps: PolicyEngineDeps) {
    this.governance = new GovernanceStore(deps.store);
    this.now = deps.now ?? (() => new Date());
  }

  /**
   * The decision for `input` at `point`. The engine adds `entitlements` (the tenant's effective
   * edition entitlements: edition, includedEditions (the edition and those below it), maxProjects,
   * maxConcurrentWorkflows, monthlyTokenBudget, allowedModelProviders, features) over whatever the
   * caller passed under that name.
   */
  async evaluate(point: PolicyPoint, input: Record<string, unknown>, context: PolicyContext): Promise<PolicyDecision> {
    const { tenantId } = context;
    if (context.decisionId) {
      const recorded = await this.governance.decision(tenantId, context.decisionId);
      if (recorded) return toPolicyDecisionView(recorded);
    }
    const { tenantId: _tenant, ...effective } = await this.deps.tenants.entitlements(tenantId);
    const entitlements = { ...effective, includedEditions: editionsUpTo(effective.edition) };
    const inputs = JSON.parse(JSON.stringify({ ...input, entitlements })) as Record<string, unknown>;
    const tenantRules = (await this.governance.policySet(tenantId))?.rules ?? [];
    const verdict = evaluateRules([...BUILT_IN_RULES, ...tenantRules], point, inputs);
    const decisionId = context.decisionId ?? `pd-${randomUUID()}`;
    const decision: PolicyDecisionDocument = {
      id: toDecisionDocumentId(decisionId),
      tenantId,
      type: 'policyDecision',
      decisionId,
      ...(context.projectId ? { projectId: context.projectId } : {}),
      ...(context.workflowId ? { workflowId: context.workflowId } : {}),
      point,
      ...verdict,
      inputs,
      decidedAt: this.now().toISOString(),
      decidedBy: context.principal?.id ?? null,
      traceId: context.traceId,
    };
    try {
      await this.deps.outbox.commit(GOVERNANCE_CONTAINER, { tenantId }, [{ op: 'create', document: decision }], [toPolicyDecided(decision, context)]);
    } catch (error) {
      const recorded = error instanceof StoreConflict ? await this.governance.decision(tenantId, decisionId) : undefined;
      if (!recorded) throw error;
      return toPolicyDecisionView(recorded);
    }
    return toPolicyDecisionView(decision);
  }

  /** A recorded decision, or 404. */
  async get(tenantId: string, decisionId: string): Promise<PolicyDecision> {
    const decision = await this.governance.decision(tenantId, decisionId);
    if (!decision) throw new NotFound(`Policy decision '${decisionId}' was not found.`);
    return toPolicyDecisionView(decision);
  }

  /** Recorded decisions, newest first. */
  async list(tenantId: string, query: PolicyDecisionQuery): Promise<Page<PolicyDecision>> {
    await this.deps.tenants.require(tenantId);
    const page = await this.governance.decisions(tenantId, query);
    return { items: page.items.map(toPolicyDecisionView), ...(page.continuation ? { continuation: page.continuation } : {}) };
  }
}

export function toPolicyDecisionView(document: PolicyDecisionDocument): PolicyDecision {
  const { decisionId, tenantId, projectId, workflowId, point, outcome, rule, reason, approvers, matchedRules, inputs, decidedAt, decidedBy, traceId } = document;
  return {
    id: decisionId,
    tenantId,
    ...(projectId !== undefined ? { projectId } : {}),
    ...(workflowId !== undefined ? { workflowId } : {}),
    point,
    outcome,
    rule,
    reason,
    ...(approvers !== undefined ? { approvers } : {}),
    matchedRules,
    inputs,
    decidedAt,
    decidedBy,
    traceId,
  };
}
