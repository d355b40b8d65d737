import { z } from 'zod';
import { idSchema } from '../platform/http/tenantParams';
import type { StoredDocument } from '../platform/ports';
import { isCalendarDay, MONTH_PATTERN } from './periods';
import type { UsageBreakdown } from './totals';

/** Every cost is in this currency. */
export const CURRENCY = 'USD';

const name = z.string().trim().min(1).max(128);
const count = z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER);

/** What `UsageService.record` takes: one agent task attempt's consumption. */
export const usageInputSchema = z.strictObject({
  tenantId: idSchema,
  projectId: idSchema,
  workflowId: name,
  taskId: name,
  attempt: z.number().int().nonnegative(),
  agentRole: name,
  skill: name,
  provider: name.describe('e.g. builtin, azure-openai'),
  model: name.describe('Model or deployment name; `builtin` for deterministic skills'),
  tokensIn: count,
  tokensOut: count,
  durationMs: z.number().nonnegative().max(1e10),
  at: z.iso.datetime({ offset: true }).optional().describe('When the work happened; default now'),
});

export type UsageInput = z.input<typeof usageInputSchema>;

/** A stored usage record, as services return it. */
export const usageRecordView = z
  .object({
    recordId: z.string(),
    tenantId: z.string(),
    projectId: z.string(),
    workflowId: z.string(),
    taskId: z.string(),
    attempt: z.number().int(),
    agentRole: z.string(),
    skill: z.string(),
    provider: z.string(),
    model: z.string(),
    tokensIn: z.number().int(),
    tokensOut: z.number().int(),
    durationMs: z.number(),
    costUsd: z.number().describe('Estimate from the price table'),
    priceKey: z.string().describe('The price table entry used'),
    at: z.string(),
    period: z.string().describe('YYYY-MM'),
    recordedAt: z.string(),
  })
  .meta({ id: 'UsageRecord' });

export type UsageRecord = z.infer<typeof usageRecordView>;

/** `?period=YYYY-MM|YYYY-MM-DD&projectId=` of `GET .../usage`; the current month by default. */
export const usageQuery = z.object({
  period: z
    .string()
    .regex(/^\d{4}-\d{2}(-\d{2})?$/, 'YYYY-MM or YYYY-MM-DD')
    .refine((p) => MONTH_PATTERN.test(p) || isCalendarDay(p), 'not a calendar month or day')
    .optional(),
  projectId: idSchema.optional(),
});

export type UsageQuery = z.infer<typeof usageQuery>;

export const budgetStatusView = z
  .object({
    period: z.string().describe('The current month, YYYY-MM'),
    budgetUsd: z.number().nullable(),
    spentUsd: z.number(),
    exceeded: z.boolean().describe('spentUsd > budgetUsd'),
  })
  .meta({ id: 'BudgetStatus' });

export type BudgetStatus = z.infer<typeof budgetStatusView>;

const totalsView = z.object({ records: z.number().int(), tokensIn: z.number().int(), tokensOut: z.number().int(), durationMs: z.number(), costUsd: z.number() });
const namedTotals = totalsView.extend({ name: z.string() });

export const usageView = z
  .object({
    tenantId: z.string(),
    projectId: z.string().nullable().describe('null: the whole tenant'),
    period: z.string(),
    granularity: z.enum(['month', 'day']),
    currency: z.literal(CURRENCY),
    totals: totalsView,
    byAgentRole: z.array(namedTotals),
    bySkill: z.array(namedTotals),
    byModel: z.array(namedTotals),
    rolledUpAt: z.string().nullable().describe('When the hourly rollup last changed these totals; null before any usage was rolled up'),
    budget: budgetStatusView.describe('Live: includes usage not yet rolled up'),
  })
  .meta({ id: 'Usage' });

export type UsageView = z.infer<typeof usageView>;

/** Body of `PUT .../budget`: the monthly budget of the tenant, or of one project; null removes it. */
export const budgetInputSchema = z
  .strictObject({
    monthlyBudgetUsd: z.number().nonnegative().max(1e9).nullable(),
    projectId: idSchema.optional().describe('Absent: the tenant budget'),
  })
  .meta({ id: 'BudgetInput' });

export type BudgetInput = z.infer<typeof budgetInputSchema>;

export const budgetQuery = z.object({ projectId: idSchema.optional() });

export const budgetView = z
  .object({
    tenantId: z.string(),
    projectId: z.string().nullable(),
    monthlyBudgetUsd: z.number().nullable(),
    currency: z.literal(CURRENCY),
    updatedAt: z.string().nullable(),
    updatedBy: z.string().nullable(),
    status: budgetStatusView,
  })
  .meta({ id: 'Budget' });

export type BudgetView = z.infer<typeof budgetView>;

// --- Documents (container 'usage', partition { tenantId, projectId }) --------------------------

/** One agent task attempt's usage; id derived from (taskId, attempt), in the project's partition. */
export interface UsageRecordDocument extends StoredDocument {
  type: 'usageRecord';
  projectId: string;
  workflowId: string;
  taskId: string;
  attempt: number;
  agentRole: string;
  skill: string;
  provider: string;
  model: string;
  tokensIn: number;
  tokensOut: number;
  durationMs: number;
  costNanoUsd: number;
  priceKey: string;
  at: string;
  day: string;
  month: string;
  recordedAt: string;
  recordedBy: string | null;
  traceId: string;
}

/**
 * A project's running total for one month, moved in the same batch as each record (exact, one
 * point read for budget checks), with the days the rollup has yet to fold.
 */
export interface UsageMeterDocument extends StoredDocument {
  type: 'usageMeter';
  month: string;
  records: number;
  costNanoUsd: number;
  dirtyDays: string[];
  updatedAt: string;
}

/** Daily or monthly totals of a project, or of the tenant (partition projectId `_tenant`). */
export interface UsageRollupDocument extends StoredDocument, UsageBreakdown {
  type: 'usageRollup';
  granularity: 'day' | 'month';
  period: string;
  month: string;
  updatedAt: string;
}

/** The projects of a tenant (partition `_tenant`), or the tenants (partition `_platform`/`_tenants`), with usage in a month. */
export interface UsageIndexDocument extends StoredDocument {
  type: 'usageIndex';
  month: string;
  members: string[];
}

/** A monthly budget of a project, or of the tenant (partition `_tenant`). */
export interface BudgetDocument extends StoredDocument {
  type: 'budget';
  monthlyBudgetUsd: number | null;
  updatedAt: string;
  updatedBy: string | null;
}

/** Marks that BudgetExceeded was emitted for a scope and month, so it is emitted once. */
export interface BudgetAlertDocument extends StoredDocument {
  type: 'budgetAlert';
  period: string;
  budgetUsd: number;
  spentUsd: number;
  raisedAt: string;
}
