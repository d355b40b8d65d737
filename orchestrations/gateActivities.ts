import * as df from 'durable-functions';
import { getGovernance } from '../shared/governance/service';
import type { ConfirmedDecision } from '../shared/governance/decisionConfirmation';

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
