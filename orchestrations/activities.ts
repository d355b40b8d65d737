import * as df from 'durable-functions';
import { findBlueprintVersion } from '../shared/workflows/blueprintVersions';
import type { StepPatch } from '../shared/workflows/store';
import type { AgentTask, WorkflowSummary } from '../shared/workflows/schemas';
import { getWorkflowServices } from '../shared/workflows/services';
import { finishWorkflowRecord } from '../shared/workflows/lifecycle';
import { openSprintPullRequest } from '../shared/workflows/pullRequests';
import { diffBlueprints, touchedModules } from '../shared/blueprints';

// The I/O of the coordinator workflows. Activities run at least once: each is idempotent.

/** Records (or updates) a step of the workflow timeline. */
export const recordStep = df.app.activity('RecordWorkflowStep', {
  handler: async (input: { tenantId: string; projectId: string; workflowId: string; step: string; patch: StepPatch }) => {
    const { workflows } = await getWorkflowServices();
    await workflows.recordStep(input.tenantId, input.projectId, input.workflowId, input.step, input.patch, new Date());
  },
});

/** Writes the agent task and sends it to `agent-tasks` (its message id is the task id). */
export const dispatchAgentTask = df.app.activity('DispatchAgentTask', {
  handler: async (task: AgentTask) => {
    const { platform, workflows } = await getWorkflowServices();
    const key = { tenantId: task.tenantId, projectId: task.projectId };
    const existing = await workflows.getTask(task.tenantId, task.projectId, task.taskId);
    if (!existing) {
      await platform.store.upsert('workflows', { id: workflows.taskDocumentId(task.taskId), ...key, type: 'agentTask', task, status: 'dispatched', deliveries: 0, updatedAt: new Date().toISOString() });
    }
    await platform.messaging.send('agent-tasks', {
      body: task,
      messageId: task.taskId,
      subject: `${task.agentRole}/${task.skill}`,
      applicationProperties: { traceparent: `00-${task.traceId}-${'0'.repeat(15)}${task.attempt % 10}-01`, tenantId: task.tenantId, projectId: task.projectId, workflowId: task.workflowId },
    });
  },
});

/** The module names of the workflow's blueprint version, in blueprint order. */
export const loadBlueprintModules = df.app.activity('LoadBlueprintModules', {
  handler: async (input: { tenantId: string; projectId: string; workflowId: string; blueprintVersion: number }) => {
    const { platform, workflows } = await getWorkflowServices();
    const version = await findBlueprintVersion(platform.store, input.tenantId, input.projectId, input.blueprintVersion);
    await workflows.recordStep(input.tenantId, input.projectId, input.workflowId, 'ValidateBlueprint', { status: 'succeeded', attempts: 1, finished: true }, new Date());
    return version.modules.map((m) => m.name);
  },
});

export const requestApproval = df.app.activity('RequestApproval', {
  handler: async (input: { tenantId: string; projectId: string; workflowId: string; traceId: string; gate: string; subject: string; roles: string[]; escalationRoles: string[]; approvalId: string; instanceId: string }) => {
    await (await getWorkflowServices()).approvals.request(input);
  },
});

export const escalateApproval = df.app.activity('EscalateApproval', {
  handler: async (input: { tenantId: string; approvalId: string }) => {
    await (await getWorkflowServices()).approvals.escalate(input.tenantId, input.approvalId);
  },
});

export const expireApproval = df.app.activity('ExpireApproval', {
  handler: async (input: { tenantId: string; approvalId: string }) => {
    return (await getWorkflowServices()).approvals.expire(input.tenantId, input.approvalId);
  },
});

/** Commits every artifact the workflow produced to the project repository, on the workflow's branch. */
export const commitWorkflowArtifacts = df.app.activity('CommitWorkflowArtifacts', {
  handler: async (input: { tenantId: string; projectId: string; workflowId: string; traceId: string; blueprintVersion: number; branch?: string }) => {
    const services = await getWorkflowServices();
    const key = { tenantId: input.tenantId, projectId: input.projectId };
    const files: { path: string; content: Buffer }[] = [];
    let continuation: string | undefined;
    do {
      const page = await services.artifacts.list(key, { workflowId: input.workflowId }, { limit: 500, continuation });
      for (const artifact of page.items) files.push({ path: artifact.name, content: (await services.artifacts.content(key, artifact.id)).content });
      continuation = page.continuation;
    } while (continuation);
    return services.commit({
      tenantId: input.tenantId,
      projectId: input.projectId,
      branch: input.branch ?? `workflow/${input.workflowId}`,
      files,
      message: `${input.branch ? 'SprintExecution' : 'ProjectBootstrap'} ${input.workflowId}: ${files.length} artifacts for blueprint v${input.blueprintVersion}`,
      trailers: { 'Trace-Id': input.traceId, 'Workflow-Id': input.workflowId, 'Blueprint-Version': String(input.blueprintVersion) },
    });
  },
});

/** Records the end of a workflow and emits WorkflowCompleted/WorkflowFailed. */
export const finishWorkflow = df.app.activity('FinishWorkflow', {
  handler: async (input: { tenantId: string; projectId: string; workflowId: string; traceId: string; status: 'Completed' | 'Failed' | 'Rejected'; failure?: string; summary?: WorkflowSummary }) => {
    await finishWorkflowRecord(await getWorkflowServices(), input);
  },
});

/** The modules a new blueprint version touches, from the structured diff of the two versions. */
export const diffBlueprintVersions = df.app.activity('ComputeSprintDiff', {
  handler: async (input: { tenantId: string; projectId: string; workflowId: string; fromVersion: number; toVersion: number }) => {
    const { platform, workflows } = await getWorkflowServices();
    const [from, to] = await Promise.all([
      findBlueprintVersion(platform.store, input.tenantId, input.projectId, input.fromVersion),
      findBlueprintVersion(platform.store, input.tenantId, input.projectId, input.toVersion),
    ]);
    const touched = touchedModules(diffBlueprints(from.blueprint, to.blueprint));
    await workflows.recordStep(input.tenantId, input.projectId, input.workflowId, 'DiffBlueprints', { status: 'succeeded', attempts: 1, finished: true }, new Date());
    return touched;
  },
});

/** Opens (records) the pull request of a sprint's branch against main; idempotent per workflow. */
export const openPullRequest = df.app.activity('OpenPullRequest', {
  handler: async (input: { tenantId: string; projectId: string; workflowId: string; traceId: string; branch: string; commit: string; touchedModules: string[]; fromVersion: number; toVersion: number }) => {
    return openSprintPullRequest(await getWorkflowServices(), input);
  },
});
