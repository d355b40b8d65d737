import { painter } from './color';
import type { Followed, Step, Workflow } from './workflowFollow';

type Paint = ReturnType<typeof painter>;

const MARKS: Record<Step['status'], [string, Parameters<Paint>[0]]> = {
  succeeded: ['✔', 'green'],
  failed: ['✖', 'red'],
  running: ['…', 'cyan'],
  waiting: ['⏸', 'yellow'],
};

/** Seconds between two ISO times (to now while running), one decimal. */
export function duration(step: Pick<Step, 'startedAt' | 'finishedAt'>, now = Date.now()): string {
  const ms = (step.finishedAt ? Date.parse(step.finishedAt) : now) - Date.parse(step.startedAt);
  return Number.isFinite(ms) ? `${(Math.max(0, ms) / 1000).toFixed(1)}s` : '';
}

/** One line per step: mark, step (module/step), agent, duration (or waiting), attempts after the first, skill, failure. */
export function stepLines(workflow: Workflow, paint: Paint): string[] {
  const steps = workflow.timeline ?? [];
  const name = (s: Step) => (s.module && !s.step.startsWith(`${s.module}/`) ? `${s.module}/${s.step}` : s.step);
  const width = Math.max(4, ...steps.map((s) => name(s).length));
  const agentWidth = Math.max(0, ...steps.map((s) => (s.agent ?? '').length));
  return steps.map((s) => {
    const [mark, color] = MARKS[s.status] ?? ['·', 'dim'];
    const attempts = s.attempts > 1 ? paint('yellow', ` attempt ${s.attempts}`) : '';
    const failure = s.failure ? paint('red', `  ${s.failure}`) : '';
    const what = s.status === 'waiting' ? paint('yellow', 'waiting for approval') : paint('dim', duration(s));
    // The skill is shown when the step is not already named after it.
    const skill = s.skill && !s.step.endsWith(s.skill) ? paint('dim', ` (${s.skill})`) : '';
    return `${paint(color, mark)} ${name(s).padEnd(width)}  ${(s.agent ?? '').padEnd(agentWidth)}  ${what}${attempts}${skill}${failure}`;
  });
}

/** The heading of a workflow: id, kind, status, steps done. */
export function headline(workflow: Workflow): string {
  const steps = workflow.timeline ?? [];
  const done = steps.filter((s) => s.status === 'succeeded').length;
  return `${workflow.kind} ${workflow.workflowId}: ${workflow.status} (${done}/${steps.length} steps done)`;
}

/** What to do next, once following stopped. */
export function conclusion(followed: Followed): string {
  const { workflow, outcome, approval } = followed;
  switch (outcome) {
    case 'waiting-for-approval':
      return approval
        ? `Waiting for approval ${approval.id} (${approval.gate}; roles ${approval.eligibleRoles.join(', ')}): factory approval approve ${approval.id}`
        : `Waiting for an approval (this key may not list approvals).`;
    case 'completed':
      return `Completed${workflow.summary ? `: ${workflow.summary.artifacts} artifacts${workflow.summary.commit ? `, committed to ${workflow.summary.commit.branch} @ ${workflow.summary.commit.sha.slice(0, 12)}` : ''}` : ''}`;
    default:
      return `${workflow.status}${workflow.failure ? `: ${workflow.failure}` : ''}`;
  }
}

/** Full human text of a workflow (show, and the end of a watch off-TTY). */
export function workflowText(workflow: Workflow, paint: Paint): string {
  const lines = [headline(workflow), `blueprint v${workflow.blueprintVersion}, trace ${workflow.traceId}, started ${workflow.startedAt}${workflow.finishedAt ? `, finished ${workflow.finishedAt}` : ''}`];
  if (workflow.failure) lines.push(paint('red', `failure: ${workflow.failure}`));
  lines.push(...stepLines(workflow, paint));
  if (workflow.summary?.commit) lines.push(`committed ${workflow.summary.artifacts} artifacts to ${workflow.summary.commit.branch} @ ${workflow.summary.commit.sha}`);
  return lines.join('\n');
}
