/** Retry and timeout policies of the coordinator workflows: named, so they are read in one place. */

/** Attempts of one agent task before its step fails (a timed-out attempt is reassigned). */
export const AGENT_TASK_MAX_ATTEMPTS = 3;

/** Back-off before re-dispatching a timed-out agent task: base × 2^(attempt−1). */
export const AGENT_TASK_RETRY_BACKOFF_MS = 2_000;

/** How often a failed service validation loops back to the developer skill. */
export const VALIDATION_LOOPS = 2;

/** The approval gate of ProjectBootstrap and who decides it (then, after escalation, who else). */
export const ARCHITECTURE_APPROVAL = {
  gate: 'ArchitectureApproval',
  roles: ['Architect'],
  escalationRoles: ['TenantAdmin'],
} as const;

// Timeouts of agent tasks and approvals come from configuration (FACTORY_AGENT_TASK_TIMEOUT_SECONDS,
// FACTORY_APPROVAL_TIMEOUT_SECONDS) through the orchestration input, so a run keeps its own.

/** Who approves a release's promotion when policy asks without naming roles, and who after escalation. */
export const RELEASE_APPROVAL = {
  roles: ['ReleaseManager'],
  escalationRoles: ['TenantAdmin'],
} as const;

/** The approval gate of a drift remediation in an environment that does not self-heal (production by default). */
export const DRIFT_REMEDIATION_APPROVAL = {
  gate: 'DriftRemediationApproval',
  roles: ['ReleaseManager'],
  escalationRoles: ['TenantAdmin'],
} as const;

/** The approval of a milestone whose quality gate passed, before its release starts. */
export const MILESTONE_APPROVAL = {
  gate: 'MilestoneApproval',
  roles: ['ReleaseManager'],
  escalationRoles: ['TenantAdmin'],
} as const;
