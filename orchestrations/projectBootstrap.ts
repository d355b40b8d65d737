import * as df from 'durable-functions';
import type { OrchestrationContext } from 'durable-functions';
import type { AgentTaskOutcome, AgentTaskRequest } from './agentTask';
import type { ApprovalGateOutcome, ApprovalGateRequest } from './approvalGate';
import type { AssemblyOutcome, AssemblyRequest } from './microserviceAssembly';
import { commitWorkflowArtifacts, finishWorkflow, loadBlueprintModules, recordStep } from './activities';
import { ARCHITECTURE_APPROVAL } from './policies';
import { mergeToMain } from './deliveryActivities';
import type { WorkflowSummary } from '../shared/workflows/schemas';
import type { ReusePlan } from '../shared/workflows/reusePlan';

/** What the workflows API starts ProjectBootstrap with. */
export interface ProjectBootstrapInput {
  tenantId: string;
  projectId: string;
  workflowId: string;
  traceId: string;
  blueprintVersion: number;
  agentTaskTimeoutMs: number;
  approvalTimeoutMs: number;
  tokenBudget: number;
  /** The policy decision that allowed the start (recorded by the start API). */
  policyDecisionId: string;
  /** A retry: what the failed run already did (see `POST .../workflows/{id}/retry`). */
  reuse?: ReusePlan;
}

/**
 * ProjectBootstrap: validated blueprint → vision → architecture → ArchitectureApproval → one
 * MicroserviceAssembly per module (fan-out) → commit to the project repository → summary. A retry
 * runs as a new instance (sub-instances are named after it) and takes over the `reuse` plan's steps.
 */
export const projectBootstrapOrchestration = df.app.orchestration('ProjectBootstrap', function* (context: OrchestrationContext) {
  const input = context.df.getInput() as ProjectBootstrapInput;
  const { tenantId, projectId, workflowId, traceId } = input;
  const base = { tenantId, projectId, workflowId, traceId, blueprintVersion: input.blueprintVersion, timeoutMs: input.agentTaskTimeoutMs, tokenBudget: input.tokenBudget };
  const run = context.df.instanceId;
  const reuse = input.reuse;
  try {
    const modules = (yield loadBlueprintModules({ tenantId, projectId, workflowId, blueprintVersion: input.blueprintVersion })) as string[];
    yield recordStep({ tenantId, projectId, workflowId, step: 'PolicyCheck', patch: { status: 'succeeded', attempts: 1, finished: true, failure: undefined } });

    const agentStep = function* (agentRole: string, skill: string, inputs: string[]): Generator<df.Task, string[], unknown> {
      const reused = reuse?.steps[skill];
      if (reused) return reused;
      const task: AgentTaskRequest = { ...base, agentRole, skill, inputs, step: skill };
      const outcome = (yield context.df.callSubOrchestrator('AgentTask', task, `${run}:${skill}`)) as AgentTaskOutcome;
      if (outcome.status !== 'succeeded') throw new Error(`${agentRole}/${skill} failed: ${outcome.failure}`);
      return outcome.artifacts.map((a) => a.id);
    };
    const vision = yield* agentStep('vision-architect', 'DraftVisionDocument', []);
    const architecture = yield* agentStep('solution-architect', 'DesignArchitecture', vision);

    const gate: ApprovalGateRequest = {
      tenantId,
      projectId,
      workflowId,
      traceId,
      gate: ARCHITECTURE_APPROVAL.gate,
      subject: `Architecture of ${projectId} (blueprint v${input.blueprintVersion})`,
      roles: [...ARCHITECTURE_APPROVAL.roles],
      escalationRoles: [...ARCHITECTURE_APPROVAL.escalationRoles],
      timeoutMs: input.approvalTimeoutMs,
    };
    const approval = reuse?.approved ? ({ approvalId: `${workflowId}-${gate.gate}`, outcome: 'approved' } satisfies ApprovalGateOutcome) : ((yield context.df.callSubOrchestrator('ApprovalGate', gate, `${run}:approval`)) as ApprovalGateOutcome);
    if (approval.outcome !== 'approved') {
      const summary: WorkflowSummary = { modules: [], artifacts: vision.length + architecture.length, outcome: 'rejected' };
      yield finishWorkflow({ tenantId, projectId, workflowId, traceId, status: 'Rejected', failure: `${gate.gate} ${approval.outcome}${approval.comment ? `: ${approval.comment}` : ''}`, summary });
      return summary;
    }

    const assemblies = (yield context.df.Task.all(
      modules.map((module) =>
        context.df.callSubOrchestrator('MicroserviceAssembly', { ...base, module, inputs: architecture, ...(reuse ? { reuse: toModuleReuse(reuse, module) } : {}) } satisfies AssemblyRequest, `${run}:${module}`),
      ),
    )) as AssemblyOutcome[];

    yield recordStep({ tenantId, projectId, workflowId, step: 'CommitArtifacts', patch: { status: 'running', attempts: 1 } });
    const commit = (yield commitWorkflowArtifacts({ tenantId, projectId, workflowId, traceId, blueprintVersion: input.blueprintVersion })) as WorkflowSummary['commit'];
    yield recordStep({ tenantId, projectId, workflowId, step: 'CommitArtifacts', patch: { status: 'succeeded', finished: true } });
    if (commit) {
      // Delivery: the branch goes to main (or a pull request), so a release can be made from main.
      const merged = (yield mergeToMain({ tenantId, projectId, workflowId, traceId, branch: commit.branch, blueprintVersion: input.blueprintVersion })) as { merged: boolean; pullRequestId?: string; reason?: string };
      yield recordStep({ tenantId, projectId, workflowId, step: 'MergeToMain', patch: { status: 'succeeded', attempts: 1, finished: true, ...(merged.merged ? {} : { failure: `pull request ${merged.pullRequestId} opened${merged.reason ? `: ${merged.reason}` : ''}` }) } });
    }
    const summary: WorkflowSummary = {
      modules: assemblies.map((a) => ({ name: a.module, validated: a.validated, artifacts: a.artifacts.length })),
      artifacts: vision.length + architecture.length + assemblies.reduce((n, a) => n + a.artifacts.length, 0),
      commit,
      outcome: 'completed',
    };
    yield finishWorkflow({ tenantId, projectId, workflowId, traceId, status: 'Completed', summary });
    return summary;
  } catch (error) {
    const failure = error instanceof Error ? error.message : String(error);
    yield finishWorkflow({ tenantId, projectId, workflowId, traceId, status: 'Failed', failure });
    throw error;
  }
});

/** The part of a retry's plan that concerns one module. */
function toModuleReuse(plan: ReusePlan, module: string): NonNullable<AssemblyRequest['reuse']> {
  const prefix = `${module}/`;
  const steps = Object.fromEntries(Object.entries(plan.steps).filter(([step]) => step.startsWith(prefix)).map(([step, ids]) => [step.slice(prefix.length), ids]));
  return { steps, ...(plan.validated[module] ? { validated: plan.validated[module] } : {}) };
}
