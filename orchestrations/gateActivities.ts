import * as df from 'durable-functions';
import { getGovernance } from '../shared/governance/service';
import type { ConfirmedDecision } from '../shared/governance/decisionConfirmation';
import { confirmAgentResult, type ConfirmedResult } from '../shared/workflows/resultConfirmation';
import { getWorkflowServices } from '../shared/workflows/services';

/** Input of `ConfirmApprovalDecision`: the gate's approval and the raised event's data, untrusted. */
export interface ConfirmDecisionInput {
  tenantId: string;
  approvalId: string;
  gate: string;
  /** Deterministic per gate instance and attempt (`<instanceId>:<n>`), so a retried activity records once. */
  attemptId: string;
  claimed: unknown;
  traceId: string;
}

/** Reads the approval record and accepts only a decision recorded there by an eligible principal. */
export const confirmApprovalDecision = df.app.activity('ConfirmApprovalDecision', {
  handler: async (input: ConfirmDecisionInput): Promise<ConfirmedDecision> => (await getGovernance()).confirmations.confirm(input),
});

/** Reads the agent task record and accepts only the result the executor recorded for that task. */
export const confirmRecordedAgentResult = df.app.activity('ConfirmAgentResult', {
  handler: async (input: { tenantId: string; projectId: string; workflowId: string; taskId: string; attemptId: string; claimed: unknown; traceId: string }): Promise<ConfirmedResult> =>
    confirmAgentResult(await getWorkflowServices(), input),
});
