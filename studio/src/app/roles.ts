import type { Approval, Me, Role } from '../api/types';

/**
 * What the UI offers per role. These mirror the routes' `auth` (handlers.ts of each context) only to hide
 * what would be refused; the API still decides every call.
 */
const CAPABILITIES = {
  manageTenants: [],
  submitBlueprint: ['TenantAdmin', 'Architect'],
  createProject: ['TenantAdmin', 'Architect'],
  runWorkflows: ['TenantAdmin', 'Architect', 'ReleaseManager'],
  readAudit: ['TenantAdmin', 'Approver', 'Viewer', 'ReleaseManager', 'Architect'],
  readCosts: ['TenantAdmin', 'Architect', 'ReleaseManager', 'Viewer', 'Approver', 'Developer'],
  setBudget: ['TenantAdmin'],
} satisfies Record<string, Role[]>;

export type Capability = keyof typeof CAPABILITIES;

export function can(me: Me | undefined, capability: Capability): boolean {
  if (!me) return false;
  if (me.roles.includes('PlatformAdmin')) return true;
  return (CAPABILITIES[capability] as Role[]).some((role) => me.roles.includes(role));
}

/** True when the principal may decide this approval: an eligible role (escalation roles once escalated), or PlatformAdmin. */
export function canDecide(me: Me | undefined, approval: Approval): boolean {
  if (!me || approval.status !== 'pending') return false;
  if (me.roles.includes('PlatformAdmin')) return true;
  const roles = new Set<Role>([...(approval.eligibleRoles ?? approval.roles), ...(approval.escalated ? approval.escalationRoles : [])]);
  return me.roles.some((role) => roles.has(role));
}
