import type { DocumentStore } from '../ports';
import type { Authenticator } from './authenticator';
import type { Principal } from './principal';

/**
 * A check every authenticated request passes after its credentials were verified, e.g. "the
 * principal's tenant is not suspended". A context implements it and its function file registers
 * it, so the platform knows none by name (as with event subscribers). Throw `Unauthorized` to refuse.
 */
export interface PrincipalGuard {
  admit(principal: Principal): Promise<void>;
}

export type PrincipalGuardFactory = (deps: { store: DocumentStore }) => PrincipalGuard;

const factories: PrincipalGuardFactory[] = [];

/** Registers a guard; it applies to every request from the next one on. */
export function registerPrincipalGuard(factory: PrincipalGuardFactory): void {
  factories.push(factory);
}

/** The authenticator with every registered guard applied after it (guards are built on first use). */
export function withPrincipalGuards(authenticator: Authenticator, deps: { store: DocumentStore }): Authenticator {
  const built = new Map<PrincipalGuardFactory, PrincipalGuard>();
  return {
    async authenticate(authorization) {
      const principal = await authenticator.authenticate(authorization);
      for (const factory of factories) {
        let guard = built.get(factory);
        if (!guard) built.set(factory, (guard = factory(deps)));
        await guard.admit(principal);
      }
      return principal;
    },
  };
}
