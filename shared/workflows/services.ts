import { getArtifactService } from '../artifacts/handlers';
import type { ArtifactService } from '../artifacts/service';
import { getPlatform, Platform } from '../platform/composition';
import type { SkillInput, SkillResult } from '../skills/types';
import { getAgent } from '../agents/registry';
import { createModelProviders } from '../agents/providers';
import { costs } from '../costs/handlers';
import { ProjectRepository } from '../skills/repository';
import type { CommitTrailers } from '../skills/repository';
import { getGovernance } from '../governance/service';
import type { Role } from '../platform/auth/roles';
import { TenantService } from '../tenancy/service';
import { FairQueue } from './fairQueue';
import { WorkflowStore } from './store';
import type { AgentTask } from './schemas';

/** Usage of one skill run, as the model provider reports it. */
export interface SkillUsage {
  provider: string;
  model: string;
  tokensIn: number;
  tokensOut: number;
  durationMs?: number;
}

/** Everything the workflow activities, the agent executor and the workflows API use. */
export interface WorkflowServices {
  platform: Platform;
  workflows: WorkflowStore;
  artifacts: ArtifactService;
  runSkill(request: { agentId: string; agentRole: string; skill: string; input: SkillInput }): Promise<{ result: SkillResult; usage: SkillUsage }>;
  /** Bounds ValidateService runs of this process (`FACTORY_VALIDATION_CONCURRENCY`), fair by workflow start. */
  validations: FairQueue;
  recordUsage(task: AgentTask, usage: SkillUsage & { durationMs: number }): Promise<void>;
  approvals: {
    request(request: ApprovalRequest): Promise<void>;
    escalate(tenantId: string, approvalId: string): Promise<void>;
    /** Expires a pending approval; returns its final status (a decision that raced the timer stands). */
    expire(tenantId: string, approvalId: string): Promise<{ status: string; decidedBy?: string; comment?: string }>;
    cancelForWorkflow(tenantId: string, workflowId: string, reason: string): Promise<void>;
  };
  /** Evaluates the `workflow-start` policies; the decision is recorded and evented. */
  evaluateStart(input: Record<string, unknown>, context: { tenantId: string; projectId: string; workflowId: string; principal: { id: string } | null; traceId: string }): Promise<PolicyOutcome>;
  budgetStatus(tenantId: string, projectId: string): Promise<{ exceeded: boolean; budgetUsd: number | null; spentUsd: number }>;
  entitlements(tenantId: string): Promise<{ maxConcurrentWorkflows: number; monthlyTokenBudget: number; allowedModelProviders: readonly string[]; features: readonly string[] }>;
  /** Commits files to the project repository on a branch; no new commit when the tree is unchanged. */
  commit(request: RepositoryCommit): Promise<{ branch: string; sha: string; created: boolean; pushed?: boolean }>;
}

export interface PolicyOutcome {
  id: string;
  outcome: 'allow' | 'deny' | 'require-approval';
  rule: string;
  reason: string;
}

export interface ApprovalRequest {
  tenantId: string;
  projectId: string;
  workflowId: string;
  traceId: string;
  gate: string;
  subject: string;
  roles: string[];
  escalationRoles: string[];
  approvalId: string;
  instanceId: string;
}

export interface RepositoryCommit {
  tenantId: string;
  projectId: string;
  branch: string;
  files: { path: string; content: Buffer }[];
  message: string;
  trailers: Record<string, string>;
}

let building: Promise<WorkflowServices> | undefined;

export function getWorkflowServices(): Promise<WorkflowServices> {
  building ??= build().catch((error) => {
    building = undefined;
    throw error;
  });
  return building;
}

async function build(): Promise<WorkflowServices> {
  const platform = await getPlatform();
  const artifacts = await getArtifactService();
  const models = createModelProviders(platform.config);
  return {
    platform,
    workflows: new WorkflowStore(platform.store),
    artifacts,
    validations: new FairQueue(platform.config.FACTORY_VALIDATION_CONCURRENCY),
    runSkill: async ({ agentId, skill, input }) => {
      const agent = getAgent(agentId);
      const run = await models.run({ skill, agentId, input, policy: agent.modelPolicy });
      return { result: run.result, usage: run.usage };
    },
    recordUsage: async (task, usage) => {
      const { usage: usageService } = await costs();
      await usageService.record(
        {
          tenantId: task.tenantId,
          projectId: task.projectId,
          workflowId: task.workflowId,
          taskId: task.taskId,
          attempt: task.attempt,
          agentRole: task.agentRole,
          skill: task.skill,
          provider: usage.provider,
          model: usage.model,
          tokensIn: usage.tokensIn,
          tokensOut: usage.tokensOut,
          durationMs: Math.max(0, Math.round(usage.durationMs)),
        },
        { principal: { id: `agent:${task.agentId}` }, traceId: task.traceId },
      );
    },
    approvals: {
      request: async (request) => {
        const { approvals } = await getGovernance();
        await approvals.request({ ...request, roles: request.roles as Role[], escalationRoles: request.escalationRoles as Role[] });
      },
      escalate: async (tenantId, approvalId) => {
        await (await getGovernance()).approvals.escalate(tenantId, approvalId);
      },
      expire: async (tenantId, approvalId) => {
        const approval = await (await getGovernance()).approvals.expire(tenantId, approvalId);
        return { status: approval.status, decidedBy: approval.decidedBy, comment: approval.comment };
      },
      cancelForWorkflow: async (tenantId, workflowId, reason) => {
        const { approvals } = await getGovernance();
        const pending = await approvals.list(tenantId, { status: 'pending', workflowId, limit: 100 });
        for (const approval of pending.items) await approvals.cancel(tenantId, approval.id, reason);
      },
    },
    commit: async (request) => {
      const repository = new ProjectRepository(platform.dataDir, request.tenantId, request.projectId);
      await repository.init();
      const outcome = await repository.commitArtifacts({
        branch: request.branch,
        artifacts: request.files.map((f) => ({ path: f.path, content: f.content.toString('utf8') })),
        message: request.message,
        author: { name: 'Software Factory', email: 'factory@software-factory.local' },
        trailers: request.trailers as unknown as CommitTrailers,
      });
      const { FACTORY_GIT_REMOTE: remote, FACTORY_GIT_USERNAME: username, FACTORY_GIT_TOKEN: token } = platform.config;
      let pushed: boolean | undefined;
      if (remote && token) {
        const url = remote.replace('{tenantId}', request.tenantId).replace('{projectId}', request.projectId);
        const result = await repository.push(request.branch, { url, username, token });
        pushed = result.pushed;
        if (!result.pushed) platform.telemetry.log('warn', 'project repository push failed; the branch stays local', { branch: request.branch, reason: result.reason });
      }
      return { branch: request.branch, sha: outcome.sha, created: outcome.created, ...(pushed !== undefined ? { pushed } : {}) };
    },
    evaluateStart: async (input, context) => {
      const decision = await (await getGovernance()).engine.evaluate('workflow-start', input, context);
      return { id: decision.id, outcome: decision.outcome, rule: decision.rule, reason: decision.reason };
    },
    budgetStatus: async (tenantId, projectId) => {
      const { budgets } = await costs();
      const [tenant, project] = await Promise.all([budgets.status(tenantId), budgets.status(tenantId, projectId)]);
      const binding = project.exceeded ? project : tenant;
      return { exceeded: tenant.exceeded || project.exceeded, budgetUsd: binding.budgetUsd, spentUsd: binding.spentUsd };
    },
    entitlements: async (tenantId) => {
      const tenancy = new TenantService({ store: platform.store, outbox: platform.outbox });
      return tenancy.entitlements(tenantId);
    },
  };
}
