import { randomBytes } from 'node:crypto';
import { canonicalJson } from '../platform/canonicalJson';
import type { ChangeContext, EventOutbox } from '../platform/eventOutbox';
import { StoreConflict, type DocumentStore } from '../platform/ports';
import { isOverBudget } from './budgetService';
import { toBudgetExceeded } from './events';
import { toMonth, toPreviousMonth } from './periods';
import { toUsd } from './priceTable';
import type { BudgetAlertDocument, UsageMeterDocument, UsageRollupDocument } from './schemas';
import { PLATFORM_USAGE_KEY, toBudgetAlertId, toRollupId, toScopeKey, USAGE_CONTAINER, UsageStore } from './store';
import { addBreakdown, addItem, emptyBreakdown, type UsageBreakdown } from './totals';

export interface CostRollupDeps {
  store: DocumentStore;
  outbox: EventOutbox;
  now?: () => Date;
}

/** What one rollup run did. */
export interface RollupSummary {
  months: string[];
  tenants: number;
  /** Projects whose records were folded (they had days not yet folded). */
  projectsFolded: number;
  /** Rollup documents written because their totals changed. */
  rollupsWritten: number;
  /** BudgetExceeded.v1 events emitted. */
  budgetsExceeded: number;
}

type Scope = { tenantId: string; projectId: string };

/**
 * Folds usage records into daily and monthly totals per project and per tenant (by agent role,
 * skill and model), for the month of `now` and the month before; and raises BudgetExceeded.v1 once
 * per scope and month. Re-running is harmless: totals are recomputed from the records of the days
 * the month meter marks as not yet folded, and a document is written only when its totals change.
 */
export class CostRollup {
  private readonly usage: UsageStore;
  private readonly now: () => Date;

  constructor(private readonly deps: CostRollupDeps) {
    this.usage = new UsageStore(deps.store);
    this.now = deps.now ?? (() => new Date());
  }

  async rollup(now: Date = this.now(), change: ChangeContext = { principal: null, traceId: randomBytes(16).toString('hex') }): Promise<RollupSummary> {
    const current = toMonth(now);
    const months = [toPreviousMonth(current), current];
    const summary: RollupSummary = { months, tenants: 0, projectsFolded: 0, rollupsWritten: 0, budgetsExceeded: 0 };
    const tenants = new Set<string>();
    for (const month of months) {
      for (const tenantId of await this.usage.indexMembers(PLATFORM_USAGE_KEY, month)) {
        tenants.add(tenantId);
        const meters = await this.foldTenant(tenantId, month, summary);
        if (month === current) await this.checkBudgets(tenantId, month, meters, summary, change);
      }
    }
    summary.tenants = tenants.size;
    return summary;
  }

  /** Folds one tenant's pending usage (current and previous month): the usage report calls it so it is never stale. */
  async rollupTenant(tenantId: string, now: Date = this.now(), change: ChangeContext = { principal: null, traceId: randomBytes(16).toString('hex') }): Promise<RollupSummary> {
    const current = toMonth(now);
    const months = [toPreviousMonth(current), current];
    const summary: RollupSummary = { months, tenants: 1, projectsFolded: 0, rollupsWritten: 0, budgetsExceeded: 0 };
    for (const month of months) {
      const meters = await this.foldTenant(tenantId, month, summary);
      if (month === current) await this.checkBudgets(tenantId, month, meters, summary, change);
    }
    return summary;
  }

  /** Folds every project of the tenant with usage in the month, then the tenant totals from theirs; returns the projects' meters. */
  private async foldTenant(tenantId: string, month: string, summary: RollupSummary): Promise<Map<string, UsageMeterDocument>> {
    const tenantTotals = new Map<string, { granularity: 'day' | 'month'; breakdown: UsageBreakdown }>();
    const meters = new Map<string, UsageMeterDocument>();
    for (const projectId of await this.usage.indexMembers(toScopeKey(tenantId), month)) {
      const folded = await this.foldProject(toScopeKey(tenantId, projectId), month, summary);
      if (folded.meter) meters.set(projectId, folded.meter);
      for (const rollup of folded.rollups) {
        const total = tenantTotals.get(rollup.period) ?? { granularity: rollup.granularity, breakdown: emptyBreakdown() };
        tenantTotals.set(rollup.period, { ...total, breakdown: addBreakdown(total.breakdown, rollup) });
      }
    }
    const tenantKey = toScopeKey(tenantId);
    const existing = new Map((await this.usage.rollupsOfMonth(tenantKey, month)).map((r) => [r.period, r]));
    for (const [period, { granularity, breakdown }] of tenantTotals) {
      await this.writeIfChanged(tenantKey, { granularity, period, month }, breakdown, existing.get(period), summary);
    }
    return meters;
  }

  /** Recomputes the project's unfolded days from their records and the month from its days. */
  private async foldProject(key: Scope, month: string, summary: RollupSummary): Promise<{ meter?: UsageMeterDocument; rollups: UsageRollupDocument[] }> {
    const meter = await this.usage.readMeter(key, month);
    const existing = new Map((await this.usage.rollupsOfMonth(key, month)).map((r): [string, UsageRollupDocument] => [r.period, r]));
    if (!meter || (meter.dirtyDays.length === 0 && existing.has(month))) return { meter, rollups: [...existing.values()] };
    summary.projectsFolded++;
    for (const day of meter.dirtyDays) {
      const breakdown = emptyBreakdown();
      for await (const record of this.usage.recordsOfDay(key, day)) addItem(breakdown, record);
      existing.set(day, await this.writeIfChanged(key, { granularity: 'day', period: day, month }, breakdown, existing.get(day), summary));
    }
    const monthly = emptyBreakdown();
    for (const rollup of existing.values()) if (rollup.granularity === 'day') addBreakdown(monthly, rollup);
    existing.set(month, await this.writeIfChanged(key, { granularity: 'month', period: month, month }, monthly, existing.get(month), summary));
    try {
      const { _etag, ...folded } = meter;
      await this.deps.store.replace(USAGE_CONTAINER, { ...folded, dirtyDays: [] }, _etag);
    } catch (error) {
      // A record came in meanwhile: its day stays marked and the next run folds it again.
      if (!(error instanceof StoreConflict)) throw error;
    }
    return { meter, rollups: [...existing.values()] };
  }

  private async writeIfChanged(
    key: Scope,
    at: Pick<UsageRollupDocument, 'granularity' | 'period' | 'month'>,
    breakdown: UsageBreakdown,
    existing: UsageRollupDocument | undefined,
    summary: RollupSummary,
  ): Promise<UsageRollupDocument> {
    const totals = (b: UsageBreakdown) => canonicalJson({ totals: b.totals, byAgentRole: b.byAgentRole, bySkill: b.bySkill, byModel: b.byModel });
    if (existing && totals(existing) === totals(breakdown)) return existing;
    const document: UsageRollupDocument = { id: toRollupId(at.period), ...key, type: 'usageRollup', ...at, ...breakdown, updatedAt: this.now().toISOString() };
    await this.deps.store.upsert(USAGE_CONTAINER, document);
    summary.rollupsWritten++;
    return document;
  }

  /** Raises BudgetExceeded.v1 for each project, and the tenant, over budget this month, once: the marker document commits with the event. */
  private async checkBudgets(tenantId: string, month: string, meters: Map<string, UsageMeterDocument>, summary: RollupSummary, change: ChangeContext): Promise<void> {
    let tenantSpent = 0;
    for (const [projectId, meter] of meters) {
      tenantSpent += meter.costNanoUsd;
      await this.raiseIfOver(tenantId, projectId, month, meter.costNanoUsd, summary, change);
    }
    await this.raiseIfOver(tenantId, undefined, month, tenantSpent, summary, change);
  }

  private async raiseIfOver(tenantId: string, projectId: string | undefined, month: string, spentNanoUsd: number, summary: RollupSummary, change: ChangeContext): Promise<void> {
    const key = toScopeKey(tenantId, projectId);
    const budgetUsd = (await this.usage.readBudget(key))?.monthlyBudgetUsd ?? null;
    if (budgetUsd === null || !isOverBudget(spentNanoUsd, budgetUsd)) return;
    if (await this.deps.store.read(USAGE_CONTAINER, key, toBudgetAlertId(month))) return;
    const spentUsd = toUsd(spentNanoUsd);
    const marker: BudgetAlertDocument = { id: toBudgetAlertId(month), ...key, type: 'budgetAlert', period: month, budgetUsd, spentUsd, raisedAt: this.now().toISOString() };
    try {
      await this.deps.outbox.commit(USAGE_CONTAINER, key, [{ op: 'create', document: marker }], [toBudgetExceeded(tenantId, projectId, month, budgetUsd, spentUsd, change)]);
      summary.budgetsExceeded++;
    } catch (error) {
      if (!(error instanceof StoreConflict)) throw error;
    }
  }
}
