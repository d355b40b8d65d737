import { z } from 'zod';
import { roleSchema, type Role } from '../platform/auth/roles';
import { idSchema, tenantParams } from '../platform/http/tenantParams';
import type { StoredDocument } from '../platform/ports';

// --- Policies ---------------------------------------------------------------------------------

/** Where a workflow asks the policies: before it starts, at an approval gate, before a release. */
export const POLICY_POINTS = ['workflow-start', 'approval', 'release'] as const;
export const policyPointSchema = z.enum(POLICY_POINTS);
export type PolicyPoint = z.infer<typeof policyPointSchema>;

export const POLICY_OUTCOMES = ['allow', 'deny', 'require-approval'] as const;
export const policyOutcomeSchema = z.enum(POLICY_OUTCOMES);
export type PolicyOutcome = z.infer<typeof policyOutcomeSchema>;

/** `contains` / `notContains` test membership of `value` in an array field (e.g. `entitlements.features`). */
export const CONDITION_OPS = ['eq', 'neq', 'gt', 'gte', 'lt', 'lte', 'in', 'notIn', 'exists', 'contains', 'notContains'] as const;
export type ConditionOp = (typeof CONDITION_OPS)[number];

/** Dotted path into the evaluated input, e.g. `budget.exceeded`. */
const fieldPath = z
  .string()
  .max(200)
  .regex(/^[A-Za-z_][A-Za-z0-9_-]*(\.[A-Za-z_][A-Za-z0-9_-]*)*$/, 'a dotted path of identifiers, e.g. budget.exceeded');

const scalar = z.union([z.string().max(500), z.number(), z.boolean(), z.null()]);
const fieldRef = z.strictObject({ ref: fieldPath.describe('Compare with this input field instead of a literal') });

const conditionValue = z.union([scalar, z.array(scalar).max(100), fieldRef]);

function isRef(value: unknown): value is { ref: string } {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && 'ref' in value;
}

/** One condition of a rule: `field op value`; `value` is a literal or `{ ref: 'other.field' }`. */
export const conditionSchema = z
  .strictObject({
    field: fieldPath,
    op: z.enum(CONDITION_OPS),
    value: conditionValue.optional().describe('For exists: true (default) or false'),
  })
  .superRefine((condition, ctx) => {
    const { op, value } = condition;
    const problem = (message: string) => ctx.addIssue({ code: 'custom', path: ['value'], message });
    if (op === 'exists') {
      if (value !== undefined && typeof value !== 'boolean') problem('exists takes true or false');
    } else if (value === undefined) problem(`${op} needs a value`);
    else if ((op === 'in' || op === 'notIn') && !Array.isArray(value) && !isRef(value)) problem(`${op} needs a list`);
    else if (['gt', 'gte', 'lt', 'lte'].includes(op) && typeof value !== 'number' && typeof value !== 'string' && !isRef(value)) problem(`${op} needs a number or a string`);
    else if ((op === 'contains' || op === 'notContains') && Array.isArray(value)) problem(`${op} needs a single value`);
  })
  .meta({ id: 'PolicyCondition' });

export type Condition = z.output<typeof conditionSchema>;

/** A policy rule as data: at `point`, when every condition holds, the outcome applies. */
export const policyRuleSchema = z
  .strictObject({
    id: idSchema.refine((id) => id !== 'default-allow', 'default-allow is reserved'),
    point: policyPointSchema,
    description: z.string().trim().min(1).max(500),
    when: z.array(conditionSchema).max(20).default([]).describe('All must hold; empty: always'),
    outcome: policyOutcomeSchema,
    approvers: z.array(roleSchema).min(1).optional().describe('require-approval only: the roles that may decide'),
    approversFrom: fieldPath.optional().describe('require-approval only: an input field listing the deciding roles; overrides approvers when present'),
  })
  .superRefine((rule, ctx) => {
    if (rule.outcome === 'require-approval') return;
    for (const key of ['approvers', 'approversFrom'] as const) {
      if (rule[key] !== undefined) ctx.addIssue({ code: 'custom', path: [key], message: 'only for outcome require-approval' });
    }
  })
  .meta({ id: 'PolicyRule' });

export type PolicyRule = z.output<typeof policyRuleSchema>;

/** Body of `PUT .../policies`: the tenant's complete rule list, which replaces the stored one. */
export const policySetBodySchema = z
  .strictObject({ rules: z.array(policyRuleSchema).max(100) })
  .superRefine((body, ctx) => {
    const seen = new Set<string>();
    body.rules.forEach((rule, index) => {
      if (seen.has(rule.id)) ctx.addIssue({ code: 'custom', path: ['rules', index, 'id'], message: `duplicate rule id '${rule.id}'` });
      seen.add(rule.id);
    });
  })
  .meta({ id: 'PolicySetBody' });

export type PolicySetBody = z.output<typeof policySetBodySchema>;

/** The tenant's rules as stored: container `governance`, id `policy-set`. */
export interface PolicySetDocument extends StoredDocument {
  type: 'policySet';
  rules: PolicyRule[];
  updatedAt: string;
  updatedBy: string;
}

export const policySetView = z
  .object({
    tenantId: z.string(),
    rules: z.array(policyRuleSchema).describe("The tenant's own rules"),
    builtIn: z.array(policyRuleSchema).describe('Rules every tenant has (edition entitlements, budget, production releases)'),
    updatedAt: z.string().optional(),
    updatedBy: z.string().optional(),
  })
  .meta({ id: 'PolicySet' });

export type PolicySetView = z.infer<typeof policySetView>;

/** The recorded answer of the policies at one point for one input. */
export const policyDecisionView = z
  .object({
    id: z.string(),
    tenantId: z.string(),
    projectId: z.string().optional(),
    workflowId: z.string().optional(),
    point: policyPointSchema,
    outcome: policyOutcomeSchema,
    rule: z.string().describe('Id of the deciding rule; default-allow when none matched'),
    reason: z.string(),
    approvers: z.array(roleSchema).optional().describe('Who may approve, when the outcome is require-approval'),
    matchedRules: z.array(z.string()).describe('Every rule whose conditions held'),
    inputs: z.record(z.string(), z.unknown()).describe('The input evaluated, with the tenant entitlements the engine added'),
    decidedAt: z.string(),
    decidedBy: z.string().nullable().describe('The principal on whose behalf the policies were asked; null for the system'),
    traceId: z.string(),
  })
  .meta({ id: 'PolicyDecision' });

export type PolicyDecision = z.infer<typeof policyDecisionView>;

export interface PolicyDecisionDocument extends StoredDocument, Omit<PolicyDecision, 'id' | 'tenantId' | 'projectId'> {
  type: 'policyDecision';
  decisionId: string;
}

export const policyDecisionQuery = z.object({
  point: policyPointSchema.optional(),
  outcome: policyOutcomeSchema.optional(),
  projectId: idSchema.optional(),
  workflowId: z.string().min(1).max(200).optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
  continuation: z.string().min(1).optional(),
});

export type PolicyDecisionQuery = z.infer<typeof policyDecisionQuery>;

export const policyDecisionPage = z.object({ items: z.array(policyDecisionView), continuation: z.string().optional() }).meta({ id: 'PolicyDecisionPage' });

export const decisionParams = tenantParams.extend({ decisionId: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.:-]{0,199}$/, 'a policy decision id') });

// --- Approvals --------------------------------------------------------------------------------

export const APPROVAL_STATUSES = ['pending', 'approved', 'rejected', 'expired', 'cancelled'] as const;
export const approvalStatusSchema = z.enum(APPROVAL_STATUSES);
export type ApprovalStatus = z.infer<typeof approvalStatusSchema>;

/** Approval ids are chosen by the workflow (for idempotent requests): URL-safe, at most 200 characters. */
export const approvalIdSchema = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.:-]{0,199}$/, 'letters, digits, _ . : - (at most 200), starting with a letter or digit');

export const approvalView = z
  .object({
    id: z.string(),
    tenantId: z.string(),
    projectId: z.string(),
    workflowId: z.string(),
    gate: z.string().describe('e.g. ArchitectureApproval'),
    subject: z.string().describe('What is to be approved'),
    status: approvalStatusSchema,
    roles: z.array(roleSchema).describe('The roles asked first'),
    escalationRoles: z.array(roleSchema).describe('Roles added when the gate escalates'),
    eligibleRoles: z.array(roleSchema).describe('Who may decide now: roles, plus escalationRoles once escalated (PlatformAdmin always)'),
    escalated: z.boolean(),
    instanceId: z.string().describe('The orchestration instance waiting for the decision'),
    requestedAt: z.string(),
    expiresAt: z.string().optional(),
    escalatedAt: z.string().optional(),
    decidedAt: z.string().optional(),
    decidedBy: z.string().optional(),
    comment: z.string().optional(),
    traceId: z.string(),
  })
  .meta({ id: 'Approval' });

export type Approval = z.infer<typeof approvalView>;

export interface ApprovalDocument extends StoredDocument, Omit<Approval, 'id' | 'tenantId' | 'projectId'> {
  type: 'approval';
  approvalId: string;
  projectId: string;
  /** The decider's roles when deciding: the gate re-checks them against `eligibleRoles`. */
  decidedRoles?: Role[];
}

export const approvalParams = tenantParams.extend({ approvalId: approvalIdSchema });

export const approvalQuery = z.object({
  status: approvalStatusSchema.optional(),
  projectId: idSchema.optional(),
  workflowId: z.string().min(1).max(200).optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
  continuation: z.string().min(1).optional(),
});

export type ApprovalQuery = z.infer<typeof approvalQuery>;

export const approvalPage = z.object({ items: z.array(approvalView), continuation: z.string().optional() }).meta({ id: 'ApprovalPage' });

/** Body of `POST .../approvals/{approvalId}/decision`. */
export const approvalDecisionBody = z
  .strictObject({
    decision: z.enum(['approve', 'reject']),
    comment: z.string().trim().max(2000).optional(),
  })
  .meta({ id: 'ApprovalDecisionBody' });

export type ApprovalDecisionInput = z.infer<typeof approvalDecisionBody>;

/** Name of the durable external event a decision raises on the waiting orchestration instance. */
export const APPROVAL_DECISION_EVENT = 'ApprovalDecision';

/** Data of the `ApprovalDecision` external event; `comment` is absent when the decider gave none. */
export const approvalDecisionEventSchema = z.object({
  approvalId: z.string(),
  decision: z.enum(['approved', 'rejected']),
  comment: z.string().nullish(),
  decidedBy: z.string(),
});

export type ApprovalDecisionEvent = z.infer<typeof approvalDecisionEventSchema>;

/** What the workflow asks for: who decides first, who after escalation, and which instance waits. */
export interface ApprovalRequest {
  tenantId: string;
  projectId: string;
  workflowId: string;
  gate: string;
  subject: string;
  roles: Role[];
  escalationRoles: Role[];
  /** The orchestration instance to notify with the `ApprovalDecision` event. */
  instanceId: string;
  traceId: string;
  /** Pass a deterministic id (e.g. from the instance id): requesting twice then returns the first approval. */
  approvalId?: string;
  /** When the gate's timer fires, for the inbox; the gate itself calls `escalate`/`expire`. */
  expiresAt?: string;
}
