import { z } from 'zod';
import type { StoredDocument } from '../platform/ports';

/** The coordinator workflows a project can run. */
export const workflowKinds = ['ProjectBootstrap', 'SprintExecution'] as const;
export type WorkflowKind = (typeof workflowKinds)[number];

export type WorkflowStatus = 'Running' | 'Completed' | 'Failed' | 'Rejected' | 'Cancelled';

/** A workflow instance as the factory records it (container `workflows`, partition tenant + project). */
export interface WorkflowDocument extends StoredDocument {
  type: 'workflow';
  projectId: string;
  kind: WorkflowKind;
  status: WorkflowStatus;
  blueprintVersion: number;
  /** The durable orchestration instance that runs it. */
  instanceId: string;
  traceId: string;
  requestedBy: string;
  startedAt: string;
  finishedAt?: string;
  failure?: string;
  summary?: WorkflowSummary;
  policyDecisionId?: string;
  /** How often it was retried; the instance of retry n is `<workflowId>-retry<n>`. */
  retries?: number;
}

export interface WorkflowSummary {
  modules: { name: string; validated: boolean; artifacts: number }[];
  artifacts: number;
  commit?: { branch: string; sha: string; created: boolean; pushed?: boolean };
  /** SprintExecution: the modules the blueprint diff touched, and the pull request opened for them. */
  touchedModules?: string[];
  pullRequest?: { id: string; sourceBranch: string; targetBranch: string };
  outcome: 'completed' | 'rejected' | 'failed';
}

/** One step of a workflow's timeline. */
export interface StepDocument extends StoredDocument {
  type: 'workflowStep';
  projectId: string;
  workflowId: string;
  step: string;
  module?: string;
  agent?: string;
  skill?: string;
  attempts: number;
  status: 'running' | 'succeeded' | 'failed' | 'waiting';
  startedAt: string;
  finishedAt?: string;
  artifacts: string[];
  failure?: string;
}

/** The Agent Task Contract of SPEC §7, as sent on `agent-tasks`. */
export const agentTaskSchema = z.object({
  taskId: z.string().min(1),
  tenantId: z.string().min(1),
  projectId: z.string().min(1),
  workflowId: z.string().min(1),
  traceId: z.string().regex(/^[0-9a-f]{32}$/),
  agentRole: z.string().min(1),
  agentId: z.string().min(1),
  skill: z.string().min(1),
  module: z.string().optional(),
  blueprintVersion: z.number().int().positive(),
  /** Artifact ids the skill reads. */
  inputs: z.array(z.string()),
  constraints: z.object({ tokenBudget: z.number().int().nonnegative(), deadline: z.string(), modelPolicy: z.string().optional() }),
  attempt: z.number().int().positive(),
  /** Extra instructions, e.g. the validation failures GenerateService must address. */
  feedback: z.string().optional(),
  /** The orchestration instance waiting for the result. */
  replyTo: z.string().min(1),
});
export type AgentTask = z.infer<typeof agentTaskSchema>;

/** What the executor sends on `agent-results`. */
export const agentResultSchema = z.object({
  taskId: z.string().min(1),
  tenantId: z.string().min(1),
  projectId: z.string().min(1),
  workflowId: z.string().min(1),
  replyTo: z.string().min(1),
  attempt: z.number().int().positive(),
  agentId: z.string(),
  status: z.enum(['succeeded', 'failed']),
  artifacts: z.array(z.object({ id: z.string(), name: z.string(), kind: z.string(), module: z.string().optional() })),
  checks: z.array(z.object({ name: z.string(), ok: z.boolean(), detail: z.string().optional() })),
  failure: z.string().optional(),
});
export type AgentResult = z.infer<typeof agentResultSchema>;

export interface AgentTaskDocument extends StoredDocument {
  type: 'agentTask';
  projectId: string;
  task: AgentTask;
  status: 'dispatched' | 'running' | 'succeeded' | 'failed' | 'dead-lettered';
  deliveries: number;
  result?: AgentResult;
  /** ValidateService: when the finished delivery joined the validation queue (`FACTORY_VALIDATION_CONCURRENCY`). */
  skillQueuedAt?: string;
  /** When the skill of the finished delivery started and ended (ValidateService: after its queue wait). */
  skillStartedAt?: string;
  skillFinishedAt?: string;
  updatedAt: string;
}

export const startWorkflowBody = z.object({
  kind: z.enum(workflowKinds).default('ProjectBootstrap'),
  blueprintVersion: z.number().int().positive().optional().describe('Defaults to the latest valid version'),
  fromVersion: z.number().int().positive().optional().describe('SprintExecution: the version to diff against (default: the one before)'),
});

/** A pull request the factory opened for a sprint's regenerated modules (container `workflows`). */
export interface PullRequestDocument extends StoredDocument {
  type: 'pullRequest';
  projectId: string;
  workflowId: string;
  title: string;
  sourceBranch: string;
  targetBranch: string;
  commit: string;
  touchedModules: string[];
  /** The version the sprint diffed against (absent on records from before it was kept). */
  fromVersion?: number;
  toVersion: number;
  /** `merged` once delivery merged it into its target (see `shared/delivery/pullRequestService.ts`). */
  status: 'open' | 'merged';
  createdAt: string;
}

export const stepView = z.object({
  step: z.string(),
  module: z.string().optional(),
  agent: z.string().optional(),
  skill: z.string().optional(),
  attempts: z.number().int(),
  status: z.string(),
  startedAt: z.string(),
  finishedAt: z.string().optional(),
  artifacts: z.array(z.string()),
  failure: z.string().optional(),
});

export const workflowView = z.object({
  workflowId: z.string(),
  projectId: z.string(),
  kind: z.string(),
  status: z.string(),
  runtimeStatus: z.string().optional(),
  blueprintVersion: z.number().int(),
  traceId: z.string(),
  requestedBy: z.string(),
  startedAt: z.string(),
  finishedAt: z.string().optional(),
  failure: z.string().optional(),
  summary: z.unknown().optional(),
  retries: z.number().int().optional().describe('How often the workflow was retried (POST .../retry)'),
  timeline: z.array(stepView).optional(),
});
