import { changeEvent } from '../platform/eventOutbox';
import { StoreConflict } from '../platform/ports';
import { toDocumentId } from '../platform/store/documentId';
import type { AgentResult } from './schemas';
import type { WorkflowServices } from './services';

/** What an agent-task wait learns from the task record after an `AgentResult-<n>` event woke it. */
export type ConfirmedResult = { accepted: true; result: AgentResult } | { accepted: false; reason: string };

/**
 * The agent-task wait's check that a raised result is the one the executor recorded (issue 9 §2:
 * what is built never rests on raised event data — the durable system key can raise events).
 * Returns the recorded result; a raised result with no recorded one is stored as a rejected
 * attempt with `AgentResultRejected.v1` (audited), once per `attemptId`, and the wait goes on.
 */
export async function confirmAgentResult(
  services: Pick<WorkflowServices, 'workflows' | 'platform'>,
  input: { tenantId: string; projectId: string; workflowId: string; taskId: string; attemptId: string; claimed: unknown; traceId: string },
): Promise<ConfirmedResult> {
  const { tenantId, projectId, workflowId, taskId } = input;
  const recorded = await services.workflows.getTask(tenantId, projectId, taskId);
  if (recorded?.result && recorded.result.taskId === taskId) return { accepted: true, result: recorded.result };
  const reason = recorded ? `task ${taskId} has no recorded result (status ${recorded.status})` : `task ${taskId} is not recorded`;
  const text = JSON.stringify(input.claimed ?? null) ?? 'null';
  const claimed = text.length <= 2000 ? JSON.parse(text) : { truncated: text.slice(0, 2000) };
  const document = { id: toDocumentId('resultAttempt', taskId, input.attemptId), tenantId, projectId, type: 'agentResultAttempt', taskId, claimed, reason, at: new Date().toISOString() };
  const event = changeEvent('AgentResultRejected.v1', { taskId, attemptId: input.attemptId, claimed, reason }, { principal: null, traceId: input.traceId }, { tenantId, projectId, workflowId, subject: `agent-tasks/${taskId}` });
  try {
    await services.platform.outbox.commit('workflows', { tenantId, projectId }, [{ op: 'create', document }], [event]);
  } catch (error) {
    if (!(error instanceof StoreConflict)) throw error;
  }
  return { accepted: false, reason };
}
