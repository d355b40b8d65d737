import type { Role } from '../platform/auth/roles';
import type { Blueprint, Environment } from './schemas';

/**
 * The roles whose approval a release needs before it deploys to `environment`, from the blueprint's
 * `release.approvals` (empty: no approval asked by the blueprint; policy may still ask). The hook the
 * delivery context's Release workflow reads; validation has already checked that every environment
 * named there is one of the blueprint's.
 */
export function releaseApproversOf(blueprint: Blueprint, environment: Environment): Role[] {
  return [...(blueprint.spec.release?.approvals[environment] ?? [])];
}
