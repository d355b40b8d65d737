import { isRole, type Role } from '../platform/auth/roles';
import { DEFAULT_ALLOW } from './builtInRules';
import { readField, holds } from './conditions';
import type { PolicyOutcome, PolicyPoint, PolicyRule } from './schemas';

/** The answer of a rule list for one input, before it is recorded. */
export interface RuleVerdict {
  outcome: PolicyOutcome;
  rule: string;
  reason: string;
  /** Union of the matching require-approval rules' approvers, when that is the outcome. */
  approvers?: Role[];
  matchedRules: string[];
}

/** Roles that may approve when approval is required and no rule names any. */
const FALLBACK_APPROVERS: Role[] = ['Approver'];

function approversOf(rule: PolicyRule, input: Record<string, unknown>): Role[] {
  if (rule.approversFrom) {
    const field = readField(input, rule.approversFrom);
    const fromInput = field.found && Array.isArray(field.value) ? field.value.filter(isRole) : [];
    if (fromInput.length > 0) return fromInput;
  }
  return rule.approvers ?? [];
}

/**
 * Evaluates rules in order: deny beats require-approval beats allow, and within one outcome the
 * first matching rule is the one named; no matching rule allows (rule `default-allow`).
 */
export function evaluateRules(rules: readonly PolicyRule[], point: PolicyPoint, input: Record<string, unknown>): RuleVerdict {
  const matching = rules.filter((rule) => rule.point === point && rule.when.every((condition) => holds(condition, input)));
  const matchedRules = matching.map((rule) => rule.id);
  const deny = matching.find((rule) => rule.outcome === 'deny');
  if (deny) return { outcome: 'deny', rule: deny.id, reason: deny.description, matchedRules };
  const approvals = matching.filter((rule) => rule.outcome === 'require-approval');
  if (approvals.length > 0) {
    const approvers = [...new Set(approvals.flatMap((rule) => approversOf(rule, input)))];
    return { outcome: 'require-approval', rule: approvals[0].id, reason: approvals[0].description, approvers: approvers.length > 0 ? approvers : FALLBACK_APPROVERS, matchedRules };
  }
  const allow = matching.find((rule) => rule.outcome === 'allow');
  if (allow) return { outcome: 'allow', rule: allow.id, reason: allow.description, matchedRules };
  return { outcome: 'allow', rule: DEFAULT_ALLOW, reason: `No ${point} rule matched.`, matchedRules };
}
