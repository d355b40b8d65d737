import { toUsd } from './priceTable';

/** Summed usage; cost in nano-USD, an integer, so that sums are exact and independent of order. */
export interface UsageSums {
  records: number;
  tokensIn: number;
  tokensOut: number;
  durationMs: number;
  costNanoUsd: number;
}

/** Totals and their breakdowns by agent role, skill and model. */
export interface UsageBreakdown {
  totals: UsageSums;
  byAgentRole: Record<string, UsageSums>;
  bySkill: Record<string, UsageSums>;
  byModel: Record<string, UsageSums>;
}

/** What one usage record contributes. */
export interface UsageItem {
  agentRole: string;
  skill: string;
  model: string;
  tokensIn: number;
  tokensOut: number;
  durationMs: number;
  costNanoUsd: number;
}

export function emptySums(): UsageSums {
  return { records: 0, tokensIn: 0, tokensOut: 0, durationMs: 0, costNanoUsd: 0 };
}

export function emptyBreakdown(): UsageBreakdown {
  return { totals: emptySums(), byAgentRole: {}, bySkill: {}, byModel: {} };
}

/** Adds `from` into `into`. */
export function addSums(into: UsageSums, from: UsageSums): UsageSums {
  into.records += from.records;
  into.tokensIn += from.tokensIn;
  into.tokensOut += from.tokensOut;
  into.durationMs += from.durationMs;
  into.costNanoUsd += from.costNanoUsd;
  return into;
}

export function toItemSums(item: UsageItem): UsageSums {
  return { records: 1, tokensIn: item.tokensIn, tokensOut: item.tokensOut, durationMs: item.durationMs, costNanoUsd: item.costNanoUsd };
}

/** Adds one record to a breakdown. */
export function addItem(into: UsageBreakdown, item: UsageItem): UsageBreakdown {
  return addBreakdown(into, {
    totals: toItemSums(item),
    byAgentRole: { [item.agentRole]: toItemSums(item) },
    bySkill: { [item.skill]: toItemSums(item) },
    byModel: { [item.model]: toItemSums(item) },
  });
}

/** Adds one breakdown into another (e.g. a project's into its tenant's). */
export function addBreakdown(into: UsageBreakdown, from: UsageBreakdown): UsageBreakdown {
  addSums(into.totals, from.totals);
  for (const dimension of ['byAgentRole', 'bySkill', 'byModel'] as const) {
    for (const [name, sums] of Object.entries(from[dimension])) addSums((into[dimension][name] ??= emptySums()), sums);
  }
  return into;
}

/** Totals as the API shows them: cost in USD. */
export interface UsageTotalsView {
  records: number;
  tokensIn: number;
  tokensOut: number;
  durationMs: number;
  costUsd: number;
}

export function toTotalsView(sums: UsageSums): UsageTotalsView {
  return { records: sums.records, tokensIn: sums.tokensIn, tokensOut: sums.tokensOut, durationMs: sums.durationMs, costUsd: toUsd(sums.costNanoUsd) };
}

/** One dimension as a list, the most expensive first. */
export function toBreakdownList(byName: Record<string, UsageSums>): (UsageTotalsView & { name: string })[] {
  return Object.entries(byName)
    .sort(([a, x], [b, y]) => y.costNanoUsd - x.costNanoUsd || a.localeCompare(b))
    .map(([name, sums]) => ({ name, ...toTotalsView(sums) }));
}
