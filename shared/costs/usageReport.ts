import type { DocumentStore } from '../platform/ports';
import type { BudgetService } from './budgetService';
import { toMonth } from './periods';
import { CURRENCY, type UsageQuery, type UsageView } from './schemas';
import { requireScope } from './scope';
import { toScopeKey, UsageStore } from './store';
import { emptyBreakdown, toBreakdownList, toTotalsView } from './totals';

export interface UsageReportDeps {
  store: DocumentStore;
  budgets: BudgetService;
  now?: () => Date;
}

/** Usage of a tenant or project for a month or day, from the rollups, with the live budget status. */
export class UsageReport {
  private readonly usage: UsageStore;
  private readonly now: () => Date;

  constructor(private readonly deps: UsageReportDeps) {
    this.usage = new UsageStore(deps.store);
    this.now = deps.now ?? (() => new Date());
  }

  /** 404 for an unknown tenant or project; zeros for a period without usage. */
  async get(tenantId: string, query: UsageQuery): Promise<UsageView> {
    await requireScope(this.deps.store, tenantId, query.projectId);
    const period = query.period ?? toMonth(this.now());
    const rollup = await this.usage.readRollup(toScopeKey(tenantId, query.projectId), period);
    const breakdown = rollup ?? emptyBreakdown();
    return {
      tenantId,
      projectId: query.projectId ?? null,
      period,
      granularity: period.length === 7 ? 'month' : 'day',
      currency: CURRENCY,
      totals: toTotalsView(breakdown.totals),
      byAgentRole: toBreakdownList(breakdown.byAgentRole),
      bySkill: toBreakdownList(breakdown.bySkill),
      byModel: toBreakdownList(breakdown.byModel),
      rolledUpAt: rollup?.updatedAt ?? null,
      budget: await this.deps.budgets.status(tenantId, query.projectId),
    };
  }
}
