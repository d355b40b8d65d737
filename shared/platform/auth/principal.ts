import type { Role } from './roles';

/** Who is calling: from a factory API key or an Entra ID token. */
export interface Principal {
  /** `apikey:<keyId>` or `entra:<object id>`. */
  id: string;
  /** The tenant the principal belongs to; `null` only for platform-level principals (PlatformAdmin). */
  tenantId: string | null;
  roles: Role[];
  kind: 'apiKey' | 'entra';
  /** Key name or token display name, for audit lines. */
  name?: string;
}

/** True when the principal holds one of `roles`; `PlatformAdmin` passes every role check. */
export function hasAnyRole(principal: Principal, roles: readonly Role[]): boolean {
  return principal.roles.includes('PlatformAdmin') || roles.some((role) => principal.roles.includes(role));
}

/** True when the principal may act inside `tenantId`: its own tenant, or any tenant for `PlatformAdmin`. */
export function canActInTenant(principal: Principal, tenantId: string): boolean {
  return principal.roles.includes('PlatformAdmin') || principal.tenantId === tenantId;
}
