import type { Command } from 'commander';
import { contextOf } from '../context';
import { Exit } from '../errors';
import { ExitCode } from '../exitCodes';

interface AuditEntry {
  seq: number;
  action: string;
  at?: string;
  time?: string;
  actor?: string;
  subject?: string;
  [field: string]: unknown;
}

interface VerifyReport {
  ok: boolean;
  checked: number;
  headSeq: number;
  firstBroken?: { seq: number; entryId: string; reason: string };
}

export function registerAuditCommands(program: Command): void {
  const audit = program.command('audit').description('The tenant’s hash-chained audit trail: list, verify');

  audit
    .command('list')
    .description('List audit entries in chain order')
    .option('--from <iso>', 'from this time (ISO 8601)')
    .option('--to <iso>', 'up to this time (ISO 8601)')
    .option('--limit <n>', 'how many (1–1000)', '100')
    .action(async (options: { from?: string; to?: string; limit: string }, command: Command) => {
      const ctx = contextOf(command);
      const page = await ctx.client.get<{ items: AuditEntry[] }>(ctx.tenantPath('audit'), { query: { from: options.from, to: options.to, limit: options.limit } });
      ctx.print(page, {
        columns: [
          ['seq', (e: AuditEntry) => e.seq],
          ['time', (e: AuditEntry) => e.at ?? e.time],
          ['action', (e: AuditEntry) => e.action],
          ['actor', (e: AuditEntry) => e.actor],
          ['subject', (e: AuditEntry) => e.subject],
        ],
      });
    });

  audit
    .command('verify')
    .description('Recompute the hash chain; exit 1 and name the first broken link when it does not verify')
    .action(async (_options, command: Command) => {
      const ctx = contextOf(command);
      const report = await ctx.client.get<VerifyReport>(ctx.tenantPath('audit/verify'));
      ctx.print(report, {
        human: (r) => (r.ok ? `ok: ${r.checked} entries verified (head ${r.headSeq})` : `BROKEN at seq ${r.firstBroken?.seq} (${r.firstBroken?.reason}, entry ${r.firstBroken?.entryId}); ${r.checked} checked`),
      });
      if (!report.ok) throw new Exit(ExitCode.Failed);
    });
}
