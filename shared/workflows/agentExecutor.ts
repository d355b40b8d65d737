import type { SkillArtifact } from '../skills/types';
import type { Artifact } from '../artifacts/schemas';
import { toValidationVerdict, VALIDATE_SKILL, type ValidationCheck } from '../artifacts/validationVerdict';
import { AgentResult, AgentTask, AgentTaskDocument, agentTaskSchema } from './schemas';
import type { WorkflowServices } from './services';
import { loadBlueprintVersion } from './blueprintVersions';

/** What the queue trigger knows about a delivery. */
export interface Delivery {
  deliveryCount: number;
  maxDeliveryCount: number;
}

/**
 * Runs one agent task from `agent-tasks`: loads the blueprint and input artifacts, runs the skill
 * through the agent's model provider, stores the artifacts (idempotent by content), records usage
 * (idempotent by task and attempt) and sends the result to `agent-results`. A repeated delivery of
 * a finished task re-sends the stored result and does nothing else. A failure is thrown so the
 * broker redelivers it; on the last delivery a failed result is sent first, and the message goes to
 * the dead-letter queue.
 */
export async function executeAgentTask(body: unknown, delivery: Delivery, services: WorkflowServices): Promise<AgentResult> {
  const task = agentTaskSchema.parse(body);
  const key = { tenantId: task.tenantId, projectId: task.projectId };
  const existing = await services.workflows.getTask(task.tenantId, task.projectId, task.taskId);
  if (existing?.result) {
    await sendResult(services, task, existing.result);
    return existing.result;
  }
  const started = Date.now();
  try {
    const blueprint = await loadBlueprintVersion(services.platform.store, task.tenantId, task.projectId, task.blueprintVersion);
    const inputs: Artifact[] = [];
    for (const id of task.inputs) inputs.push((await services.artifacts.content(key, id)).artifact);
    const skillInputs: SkillArtifact[] = [];
    for (const artifact of inputs) {
      const { content } = await services.artifacts.content(key, artifact.id);
      skillInputs.push({
        name: artifact.name,
        kind: artifact.kind as SkillArtifact['kind'],
        module: artifact.module,
        contentType: artifact.contentType,
        content: content.toString('utf8'),
        inputs: [],
      });
    }
    const request = { agentId: task.agentId, agentRole: task.agentRole, skill: task.skill, input: { blueprint, module: task.module, artifacts: skillInputs, options: task.feedback ? { feedback: task.feedback } : undefined } };
    const ran: SkillRunTimes = {};
    const { result, usage } = await runQueued(services, task, ran, () => services.runSkill(request));
    const byName = new Map(inputs.map((a) => [a.name, a.id]));
    const stored: AgentResult['artifacts'] = [];
    for (const artifact of result.artifacts) {
      const lineage = artifact.inputs.map((name) => byName.get(name)).filter((id): id is string => !!id);
      const { artifact: saved } = await services.artifacts.store(
        {
          tenantId: task.tenantId,
          projectId: task.projectId,
          module: artifact.module,
          kind: artifact.kind,
          name: artifact.name,
          content: Buffer.from(artifact.content, 'utf8'),
          contentType: artifact.contentType,
          workflowId: task.workflowId,
          originatingAgent: task.agentId,
          skill: task.skill,
          inputs: lineage.length ? lineage : task.inputs,
        },
        { principal: { id: `agent:${task.agentId}` }, traceId: task.traceId },
      );
      stored.push({ id: saved.id, name: saved.name, kind: saved.kind, ...(saved.module ? { module: saved.module } : {}) });
    }
    if (task.skill === VALIDATE_SKILL) await recordVerdict(services, task, result.checks, stored);
    await services.recordUsage(task, { ...usage, durationMs: usage.durationMs ?? Date.now() - started });
    const outcome = toResult(task, { status: 'succeeded', artifacts: stored, checks: result.checks });
    await saveTask(services, task, 'succeeded', delivery.deliveryCount, outcome, ran);
    await sendResult(services, task, outcome);
    return outcome;
  } catch (error) {
    const failure = error instanceof Error ? error.message : String(error);
    if (delivery.deliveryCount >= delivery.maxDeliveryCount) {
      const outcome = toResult(task, { status: 'failed', artifacts: [], checks: [], failure: `dead-lettered after ${delivery.deliveryCount} deliveries: ${failure}` });
      await saveTask(services, task, 'dead-lettered', delivery.deliveryCount, outcome);
      await sendResult(services, task, outcome);
    } else {
      await saveTask(services, task, 'running', delivery.deliveryCount);
    }
    throw error;
  }
}

function toResult(task: AgentTask, outcome: Pick<AgentResult, 'status' | 'artifacts' | 'checks' | 'failure'>): AgentResult {
  const { taskId, tenantId, projectId, workflowId, replyTo, attempt, agentId } = task;
  return { taskId, tenantId, projectId, workflowId, replyTo, attempt, agentId, ...outcome };
}

/** When the skill of a task ran (ISO times), kept on its task record. */
type SkillRunTimes = Pick<AgentTaskDocument, 'skillQueuedAt' | 'skillStartedAt' | 'skillFinishedAt'>;

/**
 * Runs a task's skill; ValidateService waits for a slot of `services.validations` first (bounded,
 * FIFO by its workflow's start). `ran` receives when it joined the queue, and when the skill started and finished.
 */
async function runQueued<T>(services: WorkflowServices, task: AgentTask, ran: SkillRunTimes, skill: () => Promise<T>): Promise<T> {
  const timed = async () => {
    ran.skillStartedAt = new Date().toISOString();
    try {
      return await skill();
    } finally {
      ran.skillFinishedAt = new Date().toISOString();
    }
  };
  if (task.skill !== VALIDATE_SKILL) return timed();
  ran.skillQueuedAt = new Date().toISOString();
  const workflow = await services.workflows.get(task.tenantId, task.projectId, task.workflowId);
  return services.validations.run({ workflowStartedAt: workflow?.startedAt ?? new Date().toISOString(), workflowId: task.workflowId }, timed);
}

async function saveTask(services: WorkflowServices, task: AgentTask, status: AgentTaskDocument['status'], deliveries: number, result?: AgentResult, ran: SkillRunTimes = {}): Promise<void> {
  await services.platform.store.upsert<AgentTaskDocument>('workflows', {
    id: services.workflows.taskDocumentId(task.taskId),
    tenantId: task.tenantId,
    projectId: task.projectId,
    type: 'agentTask',
    task,
    status,
    deliveries,
    ...(result ? { result } : {}),
    ...ran,
    updatedAt: new Date().toISOString(),
  });
}

async function sendResult(services: WorkflowServices, task: AgentTask, result: AgentResult): Promise<void> {
  await services.platform.messaging.send('agent-results', {
    body: result,
    messageId: `${task.taskId}:result`,
    correlationId: task.taskId,
    subject: `${task.agentRole}/${task.skill}`,
    applicationProperties: {
      traceparent: `00-${task.traceId}-${task.taskId.replace(/[^0-9a-f]/g, '').padEnd(16, '0').slice(0, 16)}-01`,
      tenantId: task.tenantId,
      projectId: task.projectId,
      workflowId: task.workflowId,
    },
  });
}

/** Moves the validated artifacts (the task's inputs) and the report from `pending` to the validator's verdict. */
async function recordVerdict(services: WorkflowServices, task: AgentTask, checks: readonly ValidationCheck[], reports: AgentResult['artifacts']): Promise<void> {
  const key = { tenantId: task.tenantId, projectId: task.projectId };
  const verdict = toValidationVerdict(checks);
  const change = { principal: { id: `agent:${task.agentId}` }, traceId: task.traceId };
  for (const id of new Set([...task.inputs, ...reports.map((r) => r.id)])) await services.artifacts.recordValidation(key, id, verdict, change);
}
