import { Option, type Command } from 'commander';
import { seg } from '../client';
import { contextOf } from '../context';
import type { Approval } from '../workflowFollow';

const columns: [string, (a: never) => unknown][] = [
  ['approval', (a: Approval) => a.id],
  ['gate', (a: Approval) => a.gate],
  ['status', (a: Approval) => a.status],
  ['project', (a: Approval) => a.projectId],
  ['workflow', (a: Approval) => a.workflowId],
  ['roles', (a: Approval) => a.eligibleRoles],
  ['requested', (a: Approval) => a.requestedAt],
];

function registerDecision(approval: Command, verb: 'approve' | 'reject'): void {
  approval
    .command(verb)
    .description(`${verb === 'approve' ? 'Approve' : 'Reject'} a pending approval (a role in its eligibleRoles; the first decision wins)`)
    .argument('<approvalId>', 'approval id (from `factory approval list`)')
    .option('--comment <text>', 'why; kept with the decision and in the audit trail')
    .action(async (approvalId: string, options: { comment?: string }, command: Command) => {
      const ctx = contextOf(command);
      const decided = await ctx.client.post<Approval>(ctx.tenantPath(`approvals/${seg(approvalId)}/decision`), { decision: verb, ...(options.comment ? { comment: options.comment } : {}) });
      ctx.print(decided, { human: (a) => `${a.id}: ${a.status}${a.comment ? ` (${a.comment})` : ''}` });
    });
}

export function registerApprovalCommands(program: Command): void {
  const approval = program.command('approval').description('Approvals: list the inbox, show, approve, reject');

  approval
    .command('list')
    .description('List approvals (default: the pending ones, the inbox)')
    .addOption(new Option('--status <status>', 'status').choices(['pending', 'approved', 'rejected', 'expired', 'cancelled', 'all']).default('pending'))
    .option('--workflow <id>', 'only this workflow’s')
    .option('--for-project', 'only the current project’s (--project)')
    .action(async (options: { status: string; workflow?: string; forProject?: boolean }, command: Command) => {
      const ctx = contextOf(command);
      const page = await ctx.client.get<{ items: Approval[] }>(ctx.tenantPath('approvals'), {
        query: { status: options.status === 'all' ? undefined : options.status, workflowId: options.workflow, projectId: options.forProject ? ctx.project() : undefined, limit: 1000 },
      });
      ctx.print(page, { columns });
    });

  approval
    .command('show')
    .description('Show an approval')
    .argument('<approvalId>', 'approval id')
    .action(async (approvalId: string, _options, command: Command) => {
      const ctx = contextOf(command);
      ctx.print(await ctx.client.get<Approval>(ctx.tenantPath(`approvals/${seg(approvalId)}`)));
    });

  registerDecision(approval, 'approve');
  registerDecision(approval, 'reject');
}
