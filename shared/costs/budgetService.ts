import type { ChangeContext, EventOutbox } from '../platform/eventOutbox';
import { Conflict } from '../platform/http/errors';
import { StoreConflict, type DocumentStore } from '../platform/ports';
import { toBudgetSet } from './events';
import { toMonth } from './periods';
import { toUsd } from './priceTable';
import { CURRENCY, type BudgetDocument, type BudgetStatus, type BudgetView } from './schemas';
import { requireScope } from './scope';
import { BUDGET_ID, toScopeKey, USAGE_CONTAINER, UsageStore } from './store';

export interface BudgetDeps {
  store: DocumentStore;
  outbox: EventOutbox;
  now?: () => Date;
}

const MAX_SET_ATTEMPTS = 10;

/** Monthly budgets of a tenant and of its projects, and how much of them this month has spent. */
export class BudgetService {
  private readonly usage: UsageStore;
  private readonly now: () => Date;

  constructor(private readonly deps: BudgetDeps) {
    this.usage = new UsageStore(deps.store);
    this.now = deps.now ?? (() => new Date());
  }

  /** The tenant's budget (`projectId` absent) or a project's, with this month's status; 404 for an unknown tenant or project. */
  async get(tenantId: string, projectId?: string): Promise<BudgetView> {
    await requireScope(this.deps.store, tenantId, projectId);
    const budget = await this.usage.readBudget(toScopeKey(tenantId, projectId));
    return this.toView(tenantId, projectId, budget);
  }

  /** Sets (or with `null` removes) a monthly budget; emits `BudgetSet.v1`. Setting the current value writes nothing. */
  async set(tenantId: string, projectId: string | undefined, input: { monthlyBudgetUsd: number | null }, change: ChangeContext): Promise<BudgetView> {
    await requireScope(this.deps.store, tenantId, projectId);
    const key = toScopeKey(tenantId, projectId);
    for (let attempt = 0; attempt < MAX_SET_ATTEMPTS; attempt++) {
      const current = await this.usage.readBudget(key);
      const previous = current?.monthlyBudgetUsd ?? null;
      if (previous === input.monthlyBudgetUsd) return this.toView(tenantId, projectId, current);
      const next: BudgetDocument = { id: BUDGET_ID, ...key, type: 'budget', monthlyBudgetUsd: input.monthlyBudgetUsd, updatedAt: this.now().toISOString(), updatedBy: change.principal?.id ?? null };
      try {
        await this.deps.outbox.commit(
          USAGE_CONTAINER,
          key,
          [current ? { op: 'replace', document: next, ifMatch: current._etag } : { op: 'create', document: next }],
          [toBudgetSet(tenantId, projectId, input.monthlyBudgetUsd, previous, change)],
        );
        return this.toView(tenantId, projectId, next);
      } catch (error) {
        if (!(error instanceof StoreConflict)) throw error;
      }
    }
    throw new Conflict('The budget is being changed concurrently; retry.');
  }

  /**
   * This month's spend against the budget: exact and live (the month meters move with every usage
   * record). A project: one point read; the tenant: the month's project index plus one read per
   * project with usage. `exceeded` is `spentUsd > budgetUsd`, false without a budget.
   */
  async status(tenantId: string, projectId?: string): Promise<BudgetStatus> {
    const budget = await this.usage.readBudget(toScopeKey(tenantId, projectId));
    return this.toStatus(tenantId, projectId, budget?.monthlyBudgetUsd ?? null);
  }

  /** This month's spend of a project, or of the tenant, in nano-USD. */
  async spentNanoUsd(tenantId: string, projectId: string | undefined, month: string): Promise<number> {
    const projects = projectId !== undefined ? [projectId] : await this.usage.indexMembers(toScopeKey(tenantId), month);
    const meters = await Promise.all(projects.map((p) => this.usage.readMeter(toScopeKey(tenantId, p), month)));
    return meters.reduce((sum, meter) => sum + (meter?.costNanoUsd ?? 0), 0);
  }

  private async toStatus(tenantId: string, projectId: string | undefined, budgetUsd: number | null): Promise<BudgetStatus> {
    const period = toMonth(this.now());
    const spent = await this.spentNanoUsd(tenantId, projectId, period);
    return { period, budgetUsd, spentUsd: toUsd(spent), exceeded: isOverBudget(spent, budgetUsd) };
  }

  private async toView(tenantId: string, projectId: string | undefined, budget: BudgetDocument | undefined): Promise<BudgetView> {
    const monthlyBudgetUsd = budget?.monthlyBudgetUsd ?? null;
    return {
      tenantId,
      projectId: projectId ?? null,
      monthlyBudgetUsd,
      currency: CURRENCY,
      updatedAt: budget?.updatedAt ?? null,
      updatedBy: budget?.updatedBy ?? null,
      status: await this.toStatus(tenantId, projectId, monthlyBudgetUsd),
    };
  }
}

/** True when a spend (nano-USD) is over a budget (USD); never without a budget. */
export function isOverBudget(spentNanoUsd: number, budgetUsd: number | null): boolean {
  return budgetUsd !== null && spentNanoUsd > Math.round(budgetUsd * 1e9);
}
