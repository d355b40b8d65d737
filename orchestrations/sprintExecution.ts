import * as df from 'durable-functions';
import type { OrchestrationContext } from 'durable-functions';
import type { AgentTaskOutcome, AgentTaskRequest } from './agentTask';
import type { AssemblyOutcome, AssemblyRequest } from './microserviceAssembly';
import type { ProjectBootstrapInput } from './projectBootstrap';
import { commitWorkflowArtifacts, diffBlueprintVersions, finishWorkflow, openPullRequest, recordStep } from './activities';
import type { WorkflowSummary } from '../shared/workflows/schemas';

export interface SprintExecutionInput extends ProjectBootstrapInput {
  fromVersion: number;
}

/**
 * SprintExecution: a new blueprint version → diff against the previous one → regenerate only the
 * modules the diff touches (architecture first, then one MicroserviceAssembly each, validated) →
 * commit to the sprint branch → open a pull request against main.
 */
export const sprintExecutionOrchestration = df.app.orchestration('SprintExecution', function* (context: OrchestrationContext) {
  const input = context.df.getInput() as SprintExecutionInput;
  const { tenantId, projectId, workflowId, traceId } = input;
  const base = { tenantId, projectId, workflowId, traceId, blueprintVersion: input.blueprintVersion, timeoutMs: input.agentTaskTimeoutMs, tokenBudget: input.tokenBudget };
  try {
    yield recordStep({ tenantId, projectId, workflowId, step: 'PolicyCheck', patch: { status: 'succeeded', attempts: 1, finished: true } });
    const touched = (yield diffBlueprintVersions({ tenantId, projectId, workflowId, fromVersion: input.fromVersion, toVersion: input.blueprintVersion })) as string[];
    if (touched.length === 0) {
      const summary: WorkflowSummary = { modules: [], artifacts: 0, touchedModules: [], outcome: 'completed' };
      yield finishWorkflow({ tenantId, projectId, workflowId, traceId, status: 'Completed', summary });
      return summary;
    }
    const architectureTask: AgentTaskRequest = { ...base, agentRole: 'solution-architect', skill: 'DesignArchitecture', inputs: [], step: 'DesignArchitecture' };
    const architecture = (yield context.df.callSubOrchestrator('AgentTask', architectureTask, `${workflowId}:DesignArchitecture`)) as AgentTaskOutcome;
    if (architecture.status !== 'succeeded') throw new Error(`solution-architect/DesignArchitecture failed: ${architecture.failure}`);
    const inputs = architecture.artifacts.map((a) => a.id);
    const assemblies = (yield context.df.Task.all(
      touched.map((module) => context.df.callSubOrchestrator('MicroserviceAssembly', { ...base, module, inputs } satisfies AssemblyRequest, `${workflowId}:${module}`)),
    )) as AssemblyOutcome[];

    yield recordStep({ tenantId, projectId, workflowId, step: 'PullRequest', patch: { status: 'running', attempts: 1 } });
    const commit = (yield commitWorkflowArtifacts({ tenantId, projectId, workflowId, traceId, blueprintVersion: input.blueprintVersion, branch: `sprint/${workflowId}` })) as NonNullable<WorkflowSummary['commit']>;
    const pullRequest = (yield openPullRequest({ tenantId, projectId, workflowId, traceId, branch: commit.branch, commit: commit.sha, touchedModules: touched, fromVersion: input.fromVersion, toVersion: input.blueprintVersion })) as WorkflowSummary['pullRequest'];
    yield recordStep({ tenantId, projectId, workflowId, step: 'PullRequest', patch: { status: 'succeeded', finished: true } });
    const summary: WorkflowSummary = {
      modules: assemblies.map((a) => ({ name: a.module, validated: a.validated, artifacts: a.artifacts.length })),
      artifacts: inputs.length + assemblies.reduce((n, a) => n + a.artifacts.length, 0),
      commit,
      touchedModules: touched,
      pullRequest,
      outcome: 'completed',
    };
    yield finishWorkflow({ tenantId, projectId, workflowId, traceId, status: 'Completed', summary });
    return summary;
  } catch (error) {
    yield finishWorkflow({ tenantId, projectId, workflowId, traceId, status: 'Failed', failure: error instanceof Error ? error.message : String(error) });
    throw error;
  }
});
