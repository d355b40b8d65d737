import type { ValidationUpdate } from './schemas';

/** A validator skill's check, as skills report them. */
export interface ValidationCheck {
  name: string;
  ok: boolean;
  detail?: string;
}

/** The skill whose checks are the verdict on the artifacts it validated. */
export const VALIDATE_SKILL = 'ValidateService';

/**
 * The verdict a validator's checks give the artifacts it validated: `passed` when every check
 * passed (and there was at least one), else `failed` with each failing check as a finding.
 */
export function toValidationVerdict(checks: readonly ValidationCheck[]): ValidationUpdate {
  const failing = checks.filter((check) => !check.ok);
  const status = checks.length > 0 && failing.length === 0 ? 'passed' : 'failed';
  return {
    status,
    details: `${checks.length - failing.length} of ${checks.length} checks passed`,
    findings: failing.slice(0, 200).map((check) => ({ path: check.name.slice(0, 500), message: (check.detail ?? 'failed').slice(0, 2000) || 'failed' })),
  };
}
