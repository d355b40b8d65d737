import { StoreConflict, type BatchOperation, type DocumentStore, type Page, type StoredDocument, type Versioned } from '../ports';
import { NotFound, Unauthorized, Validation } from '../http/errors';
import { toFieldErrors } from '../http/validation';
import { newApiKeySchema, type ApiKeySummary, type CreatedApiKey, type NewApiKey } from './apiKeySchemas';
import { PLATFORM_PARTITION, hashApiKey, hashesMatch, newApiKeyToken, parseApiKeyToken } from './apiKeyToken';
import { hashChosenKey, isChosenKeyHash, verifyChosenKey } from './chosenKeyHash';
import type { Principal } from './principal';
import type { Role } from './roles';
import { ShortLivedCache } from '../shortLivedCache';

/** An API key as stored in the `identity` container, partition = its tenant. */
export interface ApiKeyDocument extends StoredDocument {
  type: 'apiKey';
  keyId: string;
  name: string;
  roles: Role[];
  /** SHA-256 of the whole token; the token itself is never stored. */
  hash: string;
  createdAt: string;
  expiresAt?: string;
  revokedAt?: string;
}

const CONTAINER = 'identity';

/**
 * Writes a key change to the tenant's `identity` partition, given the operations and the key as it
 * will read afterwards. Callers pass one to commit the change in a batch with more (e.g. its event
 * through the outbox); by default the operations are applied alone.
 */
export type ApiKeyWrite = (operations: BatchOperation[], key: ApiKeySummary) => Promise<void>;
/** Document id of the bootstrap PlatformAdmin key in the platform partition. */
export const BOOTSTRAP_KEY_ID = 'bootstrap';
const INVALID_KEY = 'Missing or invalid credentials.';

/**
 * Factory API keys over the store port: created with the secret shown once, stored as a hash,
 * listed, revoked and checked in constant time. Unknown, revoked and expired keys all fail alike.
 */
export class ApiKeyService {
  /** Successful verifications by token hash (never the token) for a few seconds (SHORT_LIVED_TTL_MS); dropped on revoke and bootstrap. Failures are never kept. */
  private readonly verified: ShortLivedCache<Principal>;

  constructor(
    private readonly store: DocumentStore,
    private readonly now: () => Date = () => new Date(),
  ) {
    this.verified = new ShortLivedCache(store, 'verifiedApiKey', () => this.now().getTime());
  }

  /** Creates a key for `tenantId`; the returned `secret` is the only copy of the token. `write` commits it (default: a plain create). */
  async create(tenantId: string, input: NewApiKey, write?: ApiKeyWrite): Promise<CreatedApiKey> {
    if (tenantId === PLATFORM_PARTITION) throw new Validation([{ path: 'tenantId', message: 'reserved' }]);
    const parsed = newApiKeySchema.safeParse(input);
    if (!parsed.success) throw new Validation(toFieldErrors(parsed.error.issues));
    const { name, roles, expiresAt } = parsed.data;
    if (expiresAt && Date.parse(expiresAt) <= this.now().getTime()) throw new Validation([{ path: 'expiresAt', message: 'must be in the future' }]);
    const { token, keyId, documentId } = newApiKeyToken(tenantId);
    const fresh: ApiKeyDocument = {
      id: documentId,
      tenantId,
      type: 'apiKey',
      keyId,
      name,
      roles: [...new Set(roles)],
      hash: hashApiKey(token),
      createdAt: this.now().toISOString(),
      ...(expiresAt ? { expiresAt: new Date(expiresAt).toISOString() } : {}),
    };
    if (write) {
      await write([{ op: 'create', document: fresh }], toSummary(fresh));
      return { ...toSummary(fresh), secret: token };
    }
    const document = await this.store.create<ApiKeyDocument>(CONTAINER, fresh);
    return { ...toSummary(document), secret: token };
  }

  /** The tenant's keys, oldest first, without secrets. */
  async list(tenantId: string, page: { limit?: number; continuation?: string } = {}): Promise<Page<ApiKeySummary>> {
    const result = await this.store.query<ApiKeyDocument>(CONTAINER, { tenantId }, {
      where: [{ field: 'type', op: '=', value: 'apiKey' }],
      orderBy: { field: 'createdAt' },
      ...page,
    });
    return { items: result.items.map(toSummary), ...(result.continuation ? { continuation: result.continuation } : {}) };
  }

  /** Revokes a key; it fails authentication from now on. Revoking twice is harmless (and writes nothing). */
  async revoke(tenantId: string, keyId: string, write?: ApiKeyWrite): Promise<ApiKeySummary> {
    const document = await this.readByKeyId(tenantId, keyId);
    if (!document) throw new NotFound('No such API key.');
    if (document.revokedAt) return toSummary(document);
    const { _etag, ...rest } = document;
    const revokedDocument: ApiKeyDocument = { ...rest, revokedAt: this.now().toISOString() };
    // Before the write too: a verification that reads the key meanwhile is not kept (see ShortLivedCache.put).
    this.verified.invalidate(documentKey(document));
    try {
      if (write) await write([{ op: 'replace', document: revokedDocument, ifMatch: _etag }], toSummary(revokedDocument));
      else await this.store.replace<ApiKeyDocument>(CONTAINER, revokedDocument, _etag);
    } finally {
      this.verified.invalidate(documentKey(document));
    }
    return toSummary(revokedDocument);
  }

  /** The principal a token stands for; `Unauthorized` for anything unknown, revoked or expired. */
  async authenticate(token: string): Promise<Principal> {
    const hash = hashApiKey(token);
    const cached = this.verified.get(hash);
    if (cached) return { ...cached, roles: [...cached.roles] };
    const generation = this.verified.generation();
    const parsed = parseApiKeyToken(token);
    const document =
      (parsed && (await this.read(parsed.tenantId, parsed.documentId))) ?? (await this.read(PLATFORM_PARTITION, BOOTSTRAP_KEY_ID));
    if (!document || document.revokedAt || this.isExpired(document) || !(await matches(token, hash, document.hash))) throw new Unauthorized(INVALID_KEY);
    const principal: Principal = {
      id: `apikey:${document.keyId}`,
      tenantId: document.tenantId === PLATFORM_PARTITION ? null : document.tenantId,
      roles: document.roles,
      kind: 'apiKey',
      name: document.name,
    };
    const expiresAt = document.expiresAt === undefined ? undefined : Date.parse(document.expiresAt);
    this.verified.put(hash, generation, { document: documentKey(document), expiresAt, value: { ...principal, roles: [...principal.roles] } });
    return principal;
  }

  /**
   * Makes sure a PlatformAdmin key exists. A configured key (FACTORY_ADMIN_KEY, any string) replaces
   * the stored hash. Otherwise a key is generated when none exists or the last one was revoked, and
   * its token is returned so the caller can print it once; `undefined` when nothing was generated.
   */
  async ensureBootstrapAdminKey(configuredKey?: string): Promise<string | undefined> {
    const existing = await this.read(PLATFORM_PARTITION, BOOTSTRAP_KEY_ID);
    if (!configuredKey && existing && !existing.revokedAt) return undefined;
    if (configuredKey && existing && !existing.revokedAt && isChosenKeyHash(existing.hash) && (await verifyChosenKey(configuredKey, existing.hash))) return undefined;
    const generated = configuredKey ? undefined : newApiKeyToken(PLATFORM_PARTITION, BOOTSTRAP_KEY_ID);
    const token = configuredKey ?? generated!.token;
    const document: ApiKeyDocument = {
      id: BOOTSTRAP_KEY_ID,
      tenantId: PLATFORM_PARTITION,
      type: 'apiKey',
      keyId: `${PLATFORM_PARTITION}.${BOOTSTRAP_KEY_ID}`,
      name: configuredKey ? 'bootstrap (FACTORY_ADMIN_KEY)' : 'bootstrap (generated)',
      roles: ['PlatformAdmin'],
      // A key a person chose gets a slow salted hash; a generated one has the entropy for SHA-256.
      hash: configuredKey ? await hashChosenKey(configuredKey) : hashApiKey(token),
      createdAt: this.now().toISOString(),
    };
    this.verified.invalidate(documentKey(document));
    try {
      if (configuredKey) await this.store.upsert(CONTAINER, document);
      else if (existing) await this.store.replace(CONTAINER, document, existing._etag);
      else await this.store.create(CONTAINER, document);
    } catch (error) {
      // Another instance bootstrapped first; its key stands and this one is never shown.
      if (error instanceof StoreConflict) return undefined;
      throw error;
    } finally {
      this.verified.invalidate(documentKey(document));
    }
    return generated?.token;
  }

  private async readByKeyId(tenantId: string, keyId: string): Promise<Versioned<ApiKeyDocument> | undefined> {
    const dot = keyId.lastIndexOf('.');
    if (dot <= 0 || keyId.slice(0, dot) !== encodeURIComponent(tenantId)) return undefined;
    return this.read(tenantId, keyId.slice(dot + 1));
  }

  private async read(tenantId: string, id: string): Promise<Versioned<ApiKeyDocument> | undefined> {
    const document = await this.store.read<ApiKeyDocument>(CONTAINER, { tenantId }, id);
    return document?.type === 'apiKey' ? document : undefined;
  }

  private isExpired(document: ApiKeyDocument): boolean {
    return document.expiresAt !== undefined && Date.parse(document.expiresAt) <= this.now().getTime();
  }
}

/** The cache's name of a key document: its partition and id. */
function documentKey(document: ApiKeyDocument): string {
  return `${document.tenantId}/${document.id}`;
}

function toSummary(document: ApiKeyDocument): ApiKeySummary {
  const { keyId, tenantId, name, roles, createdAt, expiresAt, revokedAt } = document;
  return { keyId, tenantId, name, roles, createdAt, ...(expiresAt ? { expiresAt } : {}), ...(revokedAt ? { revokedAt } : {}) };
}

/** A token against a stored hash: scrypt for a chosen key, SHA-256 (constant time) for generated ones. */
async function matches(token: string, sha256: string, stored: string): Promise<boolean> {
  return isChosenKeyHash(stored) ? verifyChosenKey(token, stored) : hashesMatch(stored, sha256);
}
