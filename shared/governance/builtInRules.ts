import type { PolicyRule } from './schemas';

/** The rule id of the answer when no rule matched. */
export const DEFAULT_ALLOW = 'default-allow';

/**
 * Rules every tenant has, evaluated before its own: edition entitlements and budgets are policies
 * too. They read what the caller supplies (`budget.exceeded`, `workflows.running`, `environment`,
 * `approvers`) and the `entitlements` the engine adds from the tenant's edition and feature flags.
 */
export const BUILT_IN_RULES: readonly PolicyRule[] = [
  {
    id: 'builtin.budget-exceeded',
    point: 'workflow-start',
    description: "The tenant's budget for the current period is exceeded.",
    when: [{ field: 'budget.exceeded', op: 'eq', value: true }],
    outcome: 'deny',
  },
  {
    id: 'builtin.max-concurrent-workflows',
    point: 'workflow-start',
    description: "The edition's limit of concurrently running workflows is reached.",
    when: [{ field: 'workflows.running', op: 'gte', value: { ref: 'entitlements.maxConcurrentWorkflows' } }],
    outcome: 'deny',
  },
  {
    id: 'builtin.blueprint-edition',
    point: 'workflow-start',
    description: "The blueprint is built for an edition above the tenant's (free < pro < enterprise).",
    when: [{ field: 'blueprint.edition', op: 'notIn', value: { ref: 'entitlements.includedEditions' } }],
    outcome: 'deny',
  },
  {
    id: 'builtin.production-releases-feature',
    point: 'release',
    description: 'The edition does not include releases to production.',
    when: [
      { field: 'environment', op: 'eq', value: 'production' },
      { field: 'entitlements.features', op: 'notContains', value: 'production-releases' },
    ],
    outcome: 'deny',
  },
  {
    id: 'builtin.production-release-approval',
    point: 'release',
    description: 'A release to production needs approval.',
    when: [{ field: 'environment', op: 'eq', value: 'production' }],
    outcome: 'require-approval',
    approversFrom: 'approvers',
    approvers: ['ReleaseManager'],
  },
];
