/** Shapes of the API's answers the Studio reads (see /api/openapi.json for the full documents). */
export type Role = 'PlatformAdmin' | 'TenantAdmin' | 'Architect' | 'Developer' | 'ReleaseManager' | 'Approver' | 'Viewer' | 'Agent';

export interface Me {
  id: string;
  tenantId: string | null;
  roles: Role[];
  kind: 'apiKey' | 'entra';
  name?: string;
}

export interface Page<T> {
  items: T[];
  continuation?: string;
}

export interface Tenant {
  tenantId: string;
  name: string;
  edition: string;
  /** Absent from servers older than the tenant lifecycle. */
  status?: 'active' | 'suspended' | 'deleted';
  createdAt: string;
}

export interface Project {
  projectId: string;
  name: string;
  environments: string[];
  createdAt: string;
}

export interface Step {
  step: string;
  module?: string;
  agent?: string;
  skill?: string;
  attempts: number;
  status: string;
  startedAt: string;
  finishedAt?: string;
  artifacts: string[];
  failure?: string;
}

export interface Workflow {
  workflowId: string;
  projectId: string;
  kind: string;
  status: string;
  runtimeStatus?: string;
  blueprintVersion: number;
  traceId: string;
  requestedBy: string;
  startedAt: string;
  finishedAt?: string;
  failure?: string;
  summary?: { outcome: string; artifacts: number; modules: { name: string; validated: boolean; artifacts: number }[]; commit?: { branch: string; sha: string; created: boolean } };
  timeline?: Step[];
}

export interface HistoryEvent {
  EventType?: string;
  Timestamp?: string;
  Name?: string;
  [key: string]: unknown;
}

export interface BlueprintVersion {
  projectId: string;
  version: number;
  contentHash: string;
  name: string;
  format: string;
  modules: { name: string; kind: string; dependsOn: string[] }[];
  submittedAt: string;
  submittedBy: string;
}

export interface BlueprintProblem {
  path: string;
  code: string;
  message: string;
  line?: number;
  column?: number;
}

export interface BlueprintDiff {
  from: number;
  to: number;
  changed: boolean;
  touchedModules: string[];
  diff: { modules: { added: string[]; removed: string[]; changed: { name: string }[]; unchanged: string[] } };
}

export interface Approval {
  id: string;
  projectId: string;
  workflowId: string;
  gate: string;
  subject: string;
  status: string;
  roles: Role[];
  escalationRoles: Role[];
  eligibleRoles: Role[];
  escalated: boolean;
  requestedAt: string;
  expiresAt?: string;
  escalatedAt?: string;
  decidedAt?: string;
  decidedBy?: string;
  comment?: string;
  reason?: string;
}

export interface Artifact {
  id: string;
  module?: string;
  kind: string;
  name: string;
  version: number;
  contentHash: string;
  size: number;
  contentType: string;
  workflowId?: string;
  originatingAgent?: string;
  skill?: string;
  inputs: string[];
  validation: { status: string; findings: { severity?: string; message: string }[] };
  createdAt: string;
}

export interface LineageNode {
  id: string;
  module?: string;
  kind: string;
  name: string;
  version: number;
  depth: number;
  validation: string;
}

export interface Lineage {
  root: string;
  nodes: LineageNode[];
  edges: { from: string; to: string }[];
  truncated: boolean;
}

export interface AuditEntry {
  seq: number;
  at: string;
  action: string;
  subject: string | null;
  actor: string | null;
  source: string;
  traceId: string | null;
  hash: string;
  prevHash: string;
}

export interface VerifyReport {
  ok: boolean;
  checked: number;
  headSeq: number;
  firstBroken?: { seq: number; entryId: string; reason: string };
}

export interface Totals {
  records: number;
  tokensIn: number;
  tokensOut: number;
  durationMs: number;
  costUsd: number;
}

export interface Usage {
  period: string;
  granularity: 'month' | 'day';
  totals: Totals;
  byAgentRole: (Totals & { name: string })[];
  bySkill: (Totals & { name: string })[];
  byModel: (Totals & { name: string })[];
  rolledUpAt: string | null;
  budget: { period: string; budgetUsd: number | null; spentUsd: number; exceeded: boolean };
}

/** A promotion of a release to one environment (GET …/releases/{id} lists them). */
export interface Promotion {
  promotionId: string;
  releaseId: string;
  environment: string;
  phase: string;
  reason?: string;
  traceId?: string;
  startedAt?: string;
  finishedAt?: string;
}

/** A release of a commit of the project repository through its environments. */
export interface Release {
  releaseId: string;
  version: string;
  status: string;
  failure?: string;
  traceId: string;
  manifest: { commit: string; modules: { name: string; version: string }[] };
  createdAt: string;
  promotions?: Promotion[];
}

/** One module of a release deployed to one environment. */
export interface Deployment {
  deploymentId: string;
  environment: string;
  module: string;
  releaseId: string;
  version: string;
  status: string;
  endpoints?: string[];
  traceId?: string;
  finishedAt?: string;
}
