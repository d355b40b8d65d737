import type { FactoryConfig } from '../config';
import type { DocumentStore } from '../ports';
import { Unauthorized } from '../http/errors';
import { ApiKeyService } from './apiKeyService';
import { looksLikeApiKey } from './apiKeyToken';
import { EntraTokenValidator } from './entraTokenValidator';
import type { Principal } from './principal';

/** Turns an `Authorization` header into a principal, or throws `Unauthorized`. */
export interface Authenticator {
  authenticate(authorization: string | null | undefined): Promise<Principal>;
}

const JWT_SHAPE = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/;

/**
 * Bearer dispatch: a token with the JWT shape goes to Entra ID (401 when Entra is not configured);
 * anything else — `sf_` keys and a configured FACTORY_ADMIN_KEY of any form — to the API keys.
 */
export function createAuthenticator(deps: { apiKeys: ApiKeyService; entra?: EntraTokenValidator }): Authenticator {
  return {
    async authenticate(authorization) {
      const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '');
      if (!match) throw new Unauthorized('Send credentials as "Authorization: Bearer <API key or Entra ID token>".');
      const token = match[1];
      if (!looksLikeApiKey(token) && JWT_SHAPE.test(token)) {
        if (!deps.entra) throw new Unauthorized('Missing or invalid credentials.');
        return deps.entra.authenticate(token);
      }
      return deps.apiKeys.authenticate(token);
    },
  };
}

/** The authenticator the configuration asks for: API keys always, Entra ID when ENTRA_* are set. */
export function createAuthenticatorFromConfig(config: FactoryConfig, store: DocumentStore): { authenticator: Authenticator; apiKeys: ApiKeyService } {
  const apiKeys = new ApiKeyService(store);
  const entra =
    config.ENTRA_ISSUER && config.ENTRA_AUDIENCE && config.ENTRA_JWKS_URI
      ? new EntraTokenValidator({ issuer: config.ENTRA_ISSUER, audience: config.ENTRA_AUDIENCE, jwksUri: config.ENTRA_JWKS_URI })
      : undefined;
  return { authenticator: createAuthenticator({ apiKeys, entra }), apiKeys };
}
