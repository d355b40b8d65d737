import * as df from 'durable-functions';
import type { OrchestrationContext } from 'durable-functions';
import { nextAgent } from '../shared/agents/registry';
import type { AgentResult } from '../shared/workflows/schemas';
import { dispatchAgentTask, recordStep } from './activities';
import { confirmRecordedAgentResult } from './gateActivities';
import type { ConfirmedResult } from '../shared/workflows/resultConfirmation';
import { AGENT_TASK_MAX_ATTEMPTS, AGENT_TASK_RETRY_BACKOFF_MS } from './policies';

/** What a coordinator asks of one agent. */
export interface AgentTaskRequest {
  tenantId: string;
  projectId: string;
  workflowId: string;
  traceId: string;
  blueprintVersion: number;
  agentRole: string;
  skill: string;
  module?: string;
  inputs: string[];
  feedback?: string;
  /** Timeline step name, e.g. `BookingService/GenerateService#2`. */
  step: string;
  timeoutMs: number;
  tokenBudget: number;
}

export type AgentTaskOutcome = AgentResult | { status: 'failed'; failure: string; artifacts: []; checks: [] };

/**
 * Agent task (sub-orchestration): records the task, sends it to `agent-tasks` and waits for its
 * result event or a timeout; a timed-out attempt is retried with back-off on another agent of the
 * role; after the last attempt the step fails with the reason.
 */
export const agentTaskOrchestration = df.app.orchestration('AgentTask', function* (context: OrchestrationContext) {
  const request = context.df.getInput() as AgentTaskRequest;
  const { tenantId, projectId, workflowId, step } = request;
  let previousAgent: string | undefined;
  for (let attempt = 1; attempt <= AGENT_TASK_MAX_ATTEMPTS; attempt++) {
    const agentId = nextAgent(request.agentRole, previousAgent)?.agentId ?? `${request.agentRole}-1`;
    const taskId = `${context.df.instanceId}~${attempt}`;
    const deadline = new Date(context.df.currentUtcDateTime.getTime() + request.timeoutMs);
    yield recordStep({ tenantId, projectId, workflowId, step, patch: { status: 'running', agent: agentId, skill: request.skill, module: request.module, attempts: attempt } });
    yield dispatchAgentTask({
      taskId,
      tenantId,
      projectId,
      workflowId,
      traceId: request.traceId,
      agentRole: request.agentRole,
      agentId,
      skill: request.skill,
      module: request.module,
      blueprintVersion: request.blueprintVersion,
      inputs: request.inputs,
      constraints: { tokenBudget: request.tokenBudget, deadline: deadline.toISOString() },
      attempt,
      feedback: request.feedback,
      replyTo: context.df.instanceId,
    });
    const result = yield* recordedResult(taskId, deadline, attempt);
    if (result) {
      yield recordStep({
        tenantId,
        projectId,
        workflowId,
        step,
        patch: { status: result.status, artifacts: result.artifacts.map((a) => a.id), failure: result.failure, finished: true },
      });
      return result;
    }
    previousAgent = agentId;
    if (attempt < AGENT_TASK_MAX_ATTEMPTS) {
      yield context.df.createTimer(new Date(context.df.currentUtcDateTime.getTime() + AGENT_TASK_RETRY_BACKOFF_MS * 2 ** (attempt - 1)));
    }
  }
  const failure = `${request.agentRole}/${request.skill} produced no result within ${request.timeoutMs} ms in ${AGENT_TASK_MAX_ATTEMPTS} attempts.`;
  yield recordStep({ tenantId, projectId, workflowId, step, patch: { status: 'failed', failure, finished: true } });
  return { status: 'failed', failure, artifacts: [], checks: [] } satisfies AgentTaskOutcome;

  /**
   * Waits for `AgentResult-<attempt>` until `deadline`; an event only wakes the wait, the result is
   * the one the task record holds (`ConfirmAgentResult`). Undefined when the deadline passes.
   */
  function* recordedResult(taskId: string, deadline: Date, attempt: number): Generator<df.Task, AgentResult | undefined, unknown> {
    for (let woken = 1; ; woken++) {
      const timer = context.df.createTimer(deadline);
      const resultEvent = context.df.waitForExternalEvent(`AgentResult-${attempt}`);
      const winner = yield context.df.Task.any([resultEvent, timer]);
      if (winner !== resultEvent) return undefined;
      timer.cancel();
      const confirmed = (yield confirmRecordedAgentResult({ tenantId, projectId, workflowId, taskId, attemptId: `${context.df.instanceId}:${attempt}:${woken}`, claimed: resultEvent.result, traceId: request.traceId })) as ConfirmedResult;
      if (confirmed.accepted) return confirmed.result;
    }
  }
});
