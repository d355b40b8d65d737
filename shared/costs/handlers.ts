import { getPlatform } from '../platform/composition';
import type { Role } from '../platform/auth/roles';
import { defineRoute } from '../platform/http/route';
import { tenantParams } from '../platform/http/tenantParams';
import { BudgetService } from './budgetService';
import { toPriceTable } from './priceTable';
import { CostRollup, type RollupSummary } from './rollupService';
import { budgetInputSchema, budgetQuery, budgetView, usageQuery, usageView } from './schemas';
import { UsageService } from './service';
import { UsageReport } from './usageReport';

/** The costs context on the process's platform: metering, budgets, reports and the rollup. */
export interface Costs {
  usage: UsageService;
  budgets: BudgetService;
  reports: UsageReport;
  rollup: CostRollup;
}

let built: Promise<Costs> | undefined;

/** Built once per process (the usage service keeps a cache of index entries). */
export function costs(): Promise<Costs> {
  built ??= getPlatform()
    .then(({ store, outbox, config }) => {
      const budgets = new BudgetService({ store, outbox });
      return {
        usage: new UsageService({ store, prices: toPriceTable(config.FACTORY_PRICE_TABLE) }),
        budgets,
        reports: new UsageReport({ store, budgets }),
        rollup: new CostRollup({ store, outbox }),
      };
    })
    .catch((error: unknown) => {
      built = undefined;
      throw error;
    });
  return built;
}

/** The `costRollup` timer's work, in a span of its own trace. */
export async function runCostRollup(now = new Date()): Promise<RollupSummary> {
  const { telemetry } = await getPlatform();
  const span = telemetry.startSpan('costRollup');
  try {
    const summary = await (await costs()).rollup.rollup(now, { principal: null, traceId: span.traceId });
    span.end({ fields: { ...summary } });
    return summary;
  } catch (error) {
    span.end({ ok: false, fields: { error: String(error) } });
    throw error;
  }
}

const USAGE_READERS: readonly Role[] = ['TenantAdmin', 'Architect', 'ReleaseManager', 'Viewer', 'Approver', 'Developer'];

export const getUsage = defineRoute({
  method: 'GET',
  path: 'tenants/{tenantId}/usage',
  summary: 'Usage and estimated cost of the tenant or one project, for a month or a day',
  description:
    'Totals with breakdowns by agent role, skill and model from the hourly rollup (`rolledUpAt`), and the live budget status of the current month. `period` defaults to the current month (UTC).',
  tags: ['costs'],
  auth: { roles: USAGE_READERS },
  params: tenantParams,
  query: usageQuery,
  responses: { 200: usageView },
  handler: async ({ params, query, principal, traceId }) => {
    const { reports, rollup } = await costs();
    // Fold this tenant's pending usage first, so the report includes the latest agent tasks.
    await rollup.rollupTenant(params.tenantId, undefined, { principal, traceId });
    return { body: await reports.get(params.tenantId, query) };
  },
});

export const getBudget = defineRoute({
  method: 'GET',
  path: 'tenants/{tenantId}/budget',
  summary: 'The monthly budget of the tenant, or of a project (`?projectId=`), with this month’s status',
  tags: ['costs'],
  auth: { roles: ['TenantAdmin'] },
  params: tenantParams,
  query: budgetQuery,
  responses: { 200: budgetView },
  handler: async ({ params, query }) => ({ body: await (await costs()).budgets.get(params.tenantId, query.projectId) }),
});

export const putBudget = defineRoute({
  method: 'PUT',
  path: 'tenants/{tenantId}/budget',
  summary: 'Set or remove (null) the monthly budget of the tenant, or of a project',
  description: 'Emits `BudgetSet.v1`. The rollup emits `BudgetExceeded.v1` once per month when the spend passes the budget.',
  tags: ['costs'],
  auth: { roles: ['TenantAdmin'] },
  params: tenantParams,
  body: budgetInputSchema,
  responses: { 200: budgetView },
  handler: async ({ params, body, principal, traceId }) => ({
    body: await (await costs()).budgets.set(params.tenantId, body.projectId, { monthlyBudgetUsd: body.monthlyBudgetUsd }, { principal, traceId }),
  }),
});

export const costRoutes = [getUsage, getBudget, putBudget];
