import type { Command } from 'commander';
import { contextOf } from '../context';

interface UsageLine {
  name: string;
  records: number;
  costUsd?: number;
  [field: string]: unknown;
}

interface UsageReport {
  period: string;
  totals: { records: number; costUsd?: number; tokensIn?: number; tokensOut?: number; [field: string]: unknown };
  bySkill?: UsageLine[];
  byAgentRole?: UsageLine[];
  budget?: { budgetUsd: number | null; spentUsd: number; exceeded: boolean };
  [field: string]: unknown;
}

const usd = (value: unknown) => (typeof value === 'number' ? `$${value.toFixed(4)}` : '');

export function registerUsageCommand(program: Command): void {
  program
    .command('usage')
    .description('Usage and estimated cost of the tenant (or --for-project) for a month or a day')
    .option('--period <period>', 'YYYY-MM or YYYY-MM-DD (default: this month)')
    .option('--for-project', 'only the current project (--project)')
    .action(async (options: { period?: string; forProject?: boolean }, command: Command) => {
      const ctx = contextOf(command);
      const report = await ctx.client.get<UsageReport>(ctx.tenantPath('usage'), { query: { period: options.period, projectId: options.forProject ? ctx.project() : undefined } });
      ctx.print(report, {
        human: (r) =>
          [
            `${r.period}: ${r.totals.records} agent tasks, ${usd(r.totals.costUsd)}${r.budget ? `; budget ${r.budget.budgetUsd === null ? 'none' : usd(r.budget.budgetUsd)}, spent ${usd(r.budget.spentUsd)}${r.budget.exceeded ? ' (EXCEEDED)' : ''}` : ''}`,
            ...(r.bySkill ?? []).map((s) => `  ${s.name.padEnd(28)} ${String(s.records).padStart(4)}  ${usd(s.costUsd)}`),
          ].join('\n'),
        rows: (r) => r.bySkill ?? [],
      });
    });
}
