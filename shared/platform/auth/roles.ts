import { z } from 'zod';

/** Every factory role. `PlatformAdmin` runs the platform and may act on any tenant. */
export const ROLES = ['PlatformAdmin', 'TenantAdmin', 'Architect', 'Developer', 'ReleaseManager', 'Approver', 'Viewer', 'Agent'] as const;

export const roleSchema = z.enum(ROLES);

export type Role = z.infer<typeof roleSchema>;

/** Every role a tenant member can hold: all but `PlatformAdmin`. */
export const TENANT_ROLES = ROLES.filter((role): role is Exclude<Role, 'PlatformAdmin'> => role !== 'PlatformAdmin');

/** True when `value` names a factory role. */
export function isRole(value: unknown): value is Role {
  return roleSchema.safeParse(value).success;
}
