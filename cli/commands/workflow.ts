import { Option, type Command } from 'commander';
import { seg } from '../client';
import { painter } from '../color';
import { contextOf, type CommandContext } from '../context';
import { Exit, UsageError } from '../errors';
import { confirm } from '../prompt';
import { workflowText } from '../watchView';
import { exitCodeOf, type Workflow } from '../workflowFollow';

const WAIT_HELP = '\nWith --wait the exit code tells the outcome: 0 completed, 1 failed or rejected, 3 waiting for approval, 4 cancelled.';

const positive = (value: string, flag: string) => {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new UsageError(`${flag} must be a positive integer, got '${value}'.`);
  return n;
};

/** Follows the workflow to its end or an approval, prints it (stdout) and ends with the outcome's exit code. */
async function waitAndExit(ctx: CommandContext, workflowId: string, interval: string | undefined): Promise<void> {
  // The live view (and listr2) loads only when a workflow is followed.
  const { watchWorkflow } = require('../watch') as typeof import('../watch');
  const followed = await watchWorkflow(ctx.client, {
    tenantPath: ctx.tenantPath(),
    projectPath: ctx.projectPath(),
    workflowId,
    intervalMs: interval ? positive(interval, '--interval') : 1000,
  });
  // On a terminal the live view already showed the timeline; the data goes out for pipes and other formats.
  const shown = ctx.human && process.stdout.isTTY && process.stderr.isTTY;
  if (!shown) ctx.print({ ...followed.workflow, outcome: followed.outcome, ...(followed.approval ? { approval: followed.approval } : {}) }, { human: (w) => workflowText(w, painter(process.stdout)) });
  const code = exitCodeOf(followed.outcome);
  if (code !== 0) throw new Exit(code);
}

export function registerWorkflowCommands(program: Command): void {
  const workflow = program.command('workflow').description('Coordinator workflows of a project: start, list, show, watch, cancel, retry');

  registerStart(workflow);
  registerReads(workflow);
  registerControl(workflow);
}

/** `workflow start [--wait]`. */
function registerStart(workflow: Command): void {
  workflow
    .command('start')
    .description('Start a workflow (ProjectBootstrap by default) on the project’s latest blueprint version')
    .addOption(new Option('--kind <kind>', 'workflow kind').choices(['ProjectBootstrap', 'SprintExecution']).default('ProjectBootstrap'))
    .option('--blueprint-version <n>', 'blueprint version (default: the latest)')
    .option('--from-version <n>', 'SprintExecution: the version to diff against (default: the one before)')
    .option('--wait', 'follow it until it ends or waits for an approval; the exit code tells which')
    .option('--interval <ms>', 'poll interval while waiting', '1000')
    .addHelpText('after', `${WAIT_HELP}\n\nExample:\n  factory workflow start -p vetclinic --wait`)
    .action(async (options: { kind: string; blueprintVersion?: string; fromVersion?: string; wait?: boolean; interval?: string }, command: Command) => {
      const ctx = contextOf(command);
      const body = {
        kind: options.kind,
        ...(options.blueprintVersion ? { blueprintVersion: positive(options.blueprintVersion, '--blueprint-version') } : {}),
        ...(options.fromVersion ? { fromVersion: positive(options.fromVersion, '--from-version') } : {}),
      };
      const started = await ctx.client.post<Workflow>(ctx.projectPath('workflows'), body);
      if (!options.wait) {
        ctx.print(started, { human: (w) => `Started ${w.kind} ${w.workflowId} on blueprint v${w.blueprintVersion}; follow it with: factory workflow watch ${w.workflowId}` });
        return;
      }
      ctx.note(`Started ${started.kind} ${started.workflowId} on blueprint v${started.blueprintVersion}`);
      await waitAndExit(ctx, started.workflowId, options.interval);
    });
}

/** `workflow list|show|watch`. */
function registerReads(workflow: Command): void {
  workflow
    .command('list')
    .description('List the project’s workflows, newest first')
    .option('--limit <n>', 'how many', '25')
    .action(async (options: { limit: string }, command: Command) => {
      const ctx = contextOf(command);
      const page = await ctx.client.get<{ items: Workflow[] }>(ctx.projectPath('workflows'), { query: { limit: positive(options.limit, '--limit') } });
      ctx.print(page, {
        columns: [
          ['workflow', (w: Workflow) => w.workflowId],
          ['kind', (w: Workflow) => w.kind],
          ['status', (w: Workflow) => w.status],
          ['blueprint', (w: Workflow) => w.blueprintVersion],
          ['started', (w: Workflow) => w.startedAt],
          ['finished', (w: Workflow) => w.finishedAt],
        ],
      });
    });

  workflow
    .command('show')
    .description('Show a workflow with its step timeline (agent, skill, attempts, durations, failures)')
    .argument('<workflowId>', 'workflow id')
    .action(async (workflowId: string, _options, command: Command) => {
      const ctx = contextOf(command);
      const view = await ctx.client.get<Workflow>(ctx.projectPath(`workflows/${seg(workflowId)}`));
      ctx.print(view, { human: (w) => workflowText(w, painter(process.stdout)) });
    });

  workflow
    .command('watch')
    .description('Follow a workflow live until it ends or waits for an approval; Ctrl+C detaches, never cancels')
    .argument('<workflowId>', 'workflow id')
    .option('--interval <ms>', 'poll interval', '1000')
    .addHelpText('after', `\nThe exit code tells the outcome: 0 completed, 1 failed or rejected, 3 waiting for approval, 4 cancelled, 130 detached.`)
    .action(async (workflowId: string, options: { interval?: string }, command: Command) => {
      await waitAndExit(contextOf(command), workflowId, options.interval);
    });
}

/** `workflow cancel|retry`. */
function registerControl(workflow: Command): void {
  workflow
    .command('cancel')
    .description('Cancel a running workflow (its pending approvals are cancelled too)')
    .argument('<workflowId>', 'workflow id')
    .option('--reason <text>', 'why', 'cancelled from the CLI')
    .option('-y, --yes', 'do not ask for confirmation')
    .action(async (workflowId: string, options: { reason: string; yes?: boolean }, command: Command) => {
      const ctx = contextOf(command);
      await confirm(`Cancel workflow ${workflowId}?`, options.yes);
      const view = await ctx.client.post<Workflow>(ctx.projectPath(`workflows/${seg(workflowId)}/cancel`), { reason: options.reason });
      ctx.print(view, { human: (w) => `${w.workflowId}: ${w.status}` });
    });

  workflow
    .command('retry')
    .description('Start a failed, rejected or cancelled workflow again with the same inputs')
    .argument('<workflowId>', 'workflow id')
    .option('--wait', 'follow the new run until it ends or waits for an approval')
    .option('--interval <ms>', 'poll interval while waiting', '1000')
    .addHelpText('after', WAIT_HELP)
    .action(async (workflowId: string, options: { wait?: boolean; interval?: string }, command: Command) => {
      const ctx = contextOf(command);
      const started = await ctx.client.request<Workflow>('POST', ctx.projectPath(`workflows/${seg(workflowId)}/retry`), { json: {}, feature: 'Workflow retry' });
      if (!options.wait) {
        ctx.print(started, { human: (w) => `Retried as ${w.kind} ${w.workflowId}; follow it with: factory workflow watch ${w.workflowId}` });
        return;
      }
      ctx.note(`Retried as ${started.kind} ${started.workflowId}`);
      await waitAndExit(ctx, started.workflowId, options.interval);
    });
}
