import { changeEvent, type ChangeContext } from '../platform/eventOutbox';
import type { OutboxEvent } from '../platform/store/outboxDocument';
import { CURRENCY } from './schemas';

/** `BudgetSet.v1`: a tenant or project budget was set or removed (`monthlyBudgetUsd: null`). */
export function toBudgetSet(tenantId: string, projectId: string | undefined, monthlyBudgetUsd: number | null, previousUsd: number | null, change: ChangeContext): OutboxEvent {
  return changeEvent('BudgetSet.v1', { monthlyBudgetUsd, previousUsd, currency: CURRENCY }, change, {
    tenantId,
    ...(projectId ? { projectId } : {}),
    subject: projectId ? `projects/${projectId}/budget` : 'budget',
  });
}

/** `BudgetExceeded.v1` for a month; sourced at the project, or at the tenant for the tenant budget. */
export function toBudgetExceeded(tenantId: string, projectId: string | undefined, period: string, budgetUsd: number, spentUsd: number, change: ChangeContext): OutboxEvent {
  return changeEvent('BudgetExceeded.v1', { period, budget: budgetUsd, actual: spentUsd, currency: CURRENCY }, change, {
    tenantId,
    ...(projectId ? { projectId } : {}),
    subject: projectId ? `projects/${projectId}/budget` : 'budget',
  });
}
