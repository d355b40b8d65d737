import { getArtifactService } from '../artifacts/handlers';
import type { ArtifactService } from '../artifacts/service';
import { getPlatform, Platform } from '../platform/composition';
import type { SkillInput, SkillResult } from '../skills/types';
import { TenantService } from '../tenancy/service';
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
  recordUsage(task: AgentTask, usage: SkillUsage & { durationMs: number }): Promise<void>;
  approvals: {
    request(request: ApprovalRequest): Promise<void>;
    escalate(tenantId: string, approvalId: string): Promise<void>;
    expire(tenantId: string, approvalId: string): Promise<void>;
    cancelForWorkflow(tenantId: string, workflowId: string, reason: string): Promise<void>;
  };
  /** Evaluates the `workflow-start` policies; the decision is recorded and evented. */
  evaluateStart(input: Record<string, unknown>, context: { tenantId: string; projectId: string; workflowId: string; principal: { id: string } | null; traceId: string }): Promise<PolicyOutcome>;
  budgetStatus(tenantId: string, projectId: string): Promise<{ exceeded: boolean; budgetUsd: number | null; spentUsd: number }>;
  entitlements(tenantId: string): Promise<{ maxConcurrentWorkflows: number; monthlyTokenBudget: number; allowedModelProviders: readonly string[]; features: readonly string[] }>;
  /** Commits files to the project repository on a branch; no new commit when the tree is unchanged. */
  commit(request: RepositoryCommit): Promise<{ branch: string; sha: string; created: boolean }>;
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
  return {
    platform,
    workflows: new WorkflowStore(platform.store),
    artifacts,
    runSkill: async () => {
      throw new Error('not wired yet');
    },
    recordUsage: async () => undefined,
    approvals: {
      request: async () => undefined,
      escalate: async () => undefined,
      expire: async () => undefined,
      cancelForWorkflow: async () => undefined,
    },
    commit: async (request) => ({ branch: request.branch, sha: '', created: false }),
    evaluateStart: async () => ({ id: 'none', outcome: 'allow', rule: 'default-allow', reason: 'no policy engine' }),
    budgetStatus: async () => ({ exceeded: false, budgetUsd: null, spentUsd: 0 }),
    entitlements: async (tenantId) => {
      const tenancy = new TenantService({ store: platform.store, outbox: platform.outbox });
      return tenancy.entitlements(tenantId);
    },
  };
}
