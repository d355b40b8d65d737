import type { DurableClient } from 'durable-functions';
import { agentResultSchema, type AgentResult } from './schemas';

/**
 * Completes an agent task: raises the result as the event its orchestration waits for
 * (`AgentResult-<attempt>`). A result for an orchestration that ended (or a duplicate delivery
 * after it moved on) is dropped: the event is either buffered and ignored, or answered 410.
 */
export async function deliverAgentResult(body: unknown, client: DurableClient, log: (message: string) => void): Promise<AgentResult> {
  const result = agentResultSchema.parse(body);
  try {
    await client.raiseEvent(result.replyTo, `AgentResult-${result.attempt}`, result);
  } catch (error) {
    log(`agent result ${result.taskId} not delivered (the orchestration has ended): ${(error as Error).message}`);
  }
  return result;
}
