import type { JWTPayload, JWTVerifyGetKey } from 'jose';
import { Unauthorized } from '../http/errors';
import type { Principal } from './principal';
import { isRole } from './roles';
import { loadJose } from './jose';

/** Where Entra ID tokens come from and whom they are for (ENTRA_* settings). */
export interface EntraOptions {
  issuer: string;
  audience: string;
  jwksUri: string;
  /** Signing keys; defaults to the remote JWKS at `jwksUri` (cached and refreshed by jose). */
  keys?: JWTVerifyGetKey;
}

const INVALID_TOKEN = 'Missing or invalid credentials.';

/**
 * Validates Entra ID access tokens (signature from the JWKS, issuer, audience, lifetime) and maps
 * them to principals. Roles come from the `roles` claim (app roles named exactly like factory
 * roles; others are ignored). The factory tenant comes from an `extension_tenantId` or `tenantId`
 * claim (a directory extension / optional claim on the app registration); a token without one is
 * only accepted when it carries `PlatformAdmin`, which acts platform-wide.
 */
export class EntraTokenValidator {
  private readonly keys: JWTVerifyGetKey;

  constructor(private readonly options: EntraOptions) {
    this.keys = options.keys ?? loadJose().createRemoteJWKSet(new URL(options.jwksUri));
  }

  /** The principal of a valid token; `Unauthorized` otherwise. */
  async authenticate(token: string): Promise<Principal> {
    let payload: JWTPayload;
    try {
      ({ payload } = await loadJose().jwtVerify(token, this.keys, {
        issuer: this.options.issuer,
        audience: this.options.audience,
        algorithms: ['RS256'],
        requiredClaims: ['exp'],
      }));
    } catch {
      throw new Unauthorized(INVALID_TOKEN);
    }
    return toPrincipal(payload);
  }
}

function toPrincipal(payload: JWTPayload): Principal {
  const claimedRoles = Array.isArray(payload.roles) ? payload.roles : [];
  const roles = [...new Set(claimedRoles.filter(isRole))];
  const tenantClaim = payload.extension_tenantId ?? payload.tenantId;
  const tenantId = typeof tenantClaim === 'string' && tenantClaim ? tenantClaim : null;
  const subject = typeof payload.oid === 'string' ? payload.oid : payload.sub;
  if (!subject || (tenantId === null && !roles.includes('PlatformAdmin'))) throw new Unauthorized(INVALID_TOKEN);
  const name = typeof payload.name === 'string' ? payload.name : typeof payload.appid === 'string' ? payload.appid : undefined;
  return { id: `entra:${subject}`, tenantId, roles, kind: 'entra', ...(name ? { name } : {}) };
}
