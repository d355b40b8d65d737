import type { FactoryClient } from './client';
import { painter } from './color';
import { Exit } from './errors';
import { ExitCode } from './exitCodes';
import { conclusion, headline, stepLines } from './watchView';
import { followWorkflow, type Followed, type FollowOptions, type Workflow } from './workflowFollow';

/**
 * Follows a workflow on stderr until it ends or waits for an approval: a live task list (listr2)
 * on a terminal, one plain line per step change otherwise. Ctrl+C detaches (exit 130) and never
 * cancels the workflow.
 */
export async function watchWorkflow(client: FactoryClient, options: FollowOptions): Promise<Followed> {
  const controller = new AbortController();
  const detach = () => controller.abort();
  process.once('SIGINT', detach);
  try {
    // A live view needs a terminal with a size (a pty without one renders nothing): else plain lines.
    const live = process.stderr.isTTY && (process.stderr.columns ?? 0) > 0 && process.env.TERM !== 'dumb';
    const followed = live ? await followLive(client, options, controller.signal) : await followPlain(client, options, controller.signal);
    if (!followed) {
      process.stderr.write(`\nDetached; the workflow keeps running. Follow it again with: factory workflow watch ${options.workflowId}\n`);
      throw new Exit(ExitCode.Detached);
    }
    process.stderr.write(`${conclusion(followed)}\n`);
    return followed;
  } finally {
    process.removeListener('SIGINT', detach);
  }
}

async function followPlain(client: FactoryClient, options: FollowOptions, signal: AbortSignal): Promise<Followed | undefined> {
  const paint = painter(process.stderr);
  const seen = new Map<string, string>();
  let lastHeadline = '';
  return followWorkflow(client, {
    ...options,
    signal,
    onUpdate: (workflow) => {
      const head = `${workflow.kind} ${workflow.workflowId}: ${workflow.status}`;
      if (head !== lastHeadline) process.stderr.write(`${head}\n`);
      lastHeadline = head;
      const lines = stepLines(workflow, paint);
      (workflow.timeline ?? []).forEach((step, i) => {
        const key = `${step.module ?? ''}/${step.step}`;
        const state = `${step.status}/${step.attempts}`;
        if (seen.get(key) === state) return;
        seen.set(key, state);
        process.stderr.write(`${lines[i]}\n`);
      });
    },
  });
}

async function followLive(client: FactoryClient, options: FollowOptions, signal: AbortSignal): Promise<Followed | undefined> {
  // listr2 is loaded only for a live view: start-up of every other command stays fast.
  const { Listr, ListrLogger, ProcessOutput } = require('listr2') as typeof import('listr2');
  const paint = painter(process.stderr);
  const processOutput = new ProcessOutput(process.stderr, process.stderr);
  let followed: Followed | undefined;
  let failure: unknown;
  let latest: Workflow | undefined;
  const list = new Listr(
    [
      {
        title: `Workflow ${options.workflowId}`,
        task: async (_ctx, task) => {
          const show = (workflow: Workflow) => {
            latest = workflow;
            task.title = headline(workflow);
            task.output = stepLines(workflow, paint).join('\n');
          };
          const ticker = setInterval(() => latest && show(latest), 500);
          try {
            followed = await followWorkflow(client, { ...options, signal, onUpdate: show });
          } catch (error) {
            // listr2 (exitOnError false) keeps task errors to itself; the command reports it.
            failure = error;
            throw error;
          } finally {
            clearInterval(ticker);
          }
          if (followed && followed.outcome !== 'completed' && followed.outcome !== 'waiting-for-approval') throw new Error(conclusion(followed));
          if (!followed) task.skip('detached');
        },
        rendererOptions: { persistentOutput: true, outputBar: Infinity, bottomBar: Infinity },
      },
    ],
    {
      renderer: 'default',
      exitOnError: false,
      registerSignalListeners: false,
      collectErrors: false,
      rendererOptions: { logger: new ListrLogger({ processOutput }), removeEmptyLines: false, formatOutput: 'truncate' },
    },
  );
  await list.run();
  if (failure) throw failure;
  return followed;
}
