import type { ApiKeySummary } from '../platform/auth/apiKeySchemas';
import { changeEvent, type ChangeContext } from '../platform/eventOutbox';
import type { OutboxEvent } from '../platform/store/outboxDocument';

/** `ApiKeyCreated.v1`: what the key may do, never its secret. */
export function toApiKeyCreated(key: ApiKeySummary, change: ChangeContext): OutboxEvent {
  const data = { keyId: key.keyId, name: key.name, roles: key.roles, ...(key.expiresAt ? { expiresAt: key.expiresAt } : {}) };
  return changeEvent('ApiKeyCreated.v1', data, change, { tenantId: key.tenantId, subject: `keys/${key.keyId}` });
}

export function toApiKeyRevoked(key: ApiKeySummary, change: ChangeContext): OutboxEvent {
  return changeEvent('ApiKeyRevoked.v1', { keyId: key.keyId }, change, { tenantId: key.tenantId, subject: `keys/${key.keyId}` });
}
