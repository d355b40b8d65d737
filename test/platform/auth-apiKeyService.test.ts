import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ApiKeyService } from '../../shared/platform/auth/apiKeyService';
import { createAuthenticator } from '../../shared/platform/auth/authenticator';
import { ensureBootstrapAdminKey } from '../../shared/platform/auth/bootstrapAdminKey';
import { EntraTokenValidator } from '../../shared/platform/auth/entraTokenValidator';
import { loadJose } from '../../shared/platform/auth/jose';
import { Unauthorized, Validation } from '../../shared/platform/http/errors';
import { SqliteDocumentStore } from '../../shared/platform/store';

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'auth-keys-'));
let store: SqliteDocumentStore;
let now = new Date('2025-06-01T00:00:00Z');
let service: ApiKeyService;

beforeAll(() => {
  store = SqliteDocumentStore.open(dataDir);
  service = new ApiKeyService(store, () => now);
});
afterAll(async () => {
  await store.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

describe('ApiKeyService', () => {
  it('returns the secret once and stores only its hash', async () => {
    const created = await service.create('acme', { name: 'ci', roles: ['Developer', 'Viewer'] });
    expect(created.secret).toMatch(/^sf_acme\.[0-9a-f]{16}_[0-9a-f]{48}$/);
    const [, id] = created.keyId.split('.');
    const stored = await store.read('identity', { tenantId: 'acme' }, id);
    expect(JSON.stringify(stored)).not.toContain(created.secret.split('_').pop());
    const listed = await service.list('acme');
    expect(listed.items.find((k) => k.keyId === created.keyId)).toEqual({ keyId: created.keyId, tenantId: 'acme', name: 'ci', roles: ['Developer', 'Viewer'], createdAt: now.toISOString() });
    expect(JSON.stringify(listed)).not.toMatch(/secret|hash/);
  });

  it('authenticates a key as a principal of its tenant with its roles', async () => {
    const created = await service.create('acme', { name: 'dev', roles: ['Developer'] });
    await expect(service.authenticate(created.secret)).resolves.toEqual({ id: `apikey:${created.keyId}`, tenantId: 'acme', roles: ['Developer'], kind: 'apiKey', name: 'dev' });
  });

  it('answers unknown, tampered, revoked and expired keys with the same 401', async () => {
    const revoked = await service.create('acme', { name: 'old', roles: ['Viewer'] });
    await service.revoke('acme', revoked.keyId);
    const expiring = await service.create('acme', { name: 'temp', roles: ['Viewer'], expiresAt: '2025-06-02T00:00:00Z' });
    await expect(service.authenticate(expiring.secret)).resolves.toMatchObject({ tenantId: 'acme' });
    now = new Date('2025-06-03T00:00:00Z');
    const tampered = revoked.secret.slice(0, -1) + (revoked.secret.endsWith('0') ? '1' : '0');
    const failures = await Promise.all(
      [revoked.secret, expiring.secret, tampered, 'sf_acme.ffffffffffffffff_' + '00'.repeat(24), 'sf_other.0000000000000000_' + '00'.repeat(24), 'not-a-key'].map((token) =>
        service.authenticate(token).then(() => undefined, (error: unknown) => error),
      ),
    );
    for (const failure of failures) {
      expect(failure).toBeInstanceOf(Unauthorized);
      expect((failure as Error).message).toBe('Missing or invalid credentials.');
    }
  });

  it('refuses PlatformAdmin, empty roles and past expiry for tenant keys', async () => {
    await expect(service.create('acme', { name: 'x', roles: ['PlatformAdmin'] })).rejects.toBeInstanceOf(Validation);
    await expect(service.create('acme', { name: '', roles: [] })).rejects.toMatchObject({ errors: [{ path: 'name' }, { path: 'roles' }] });
    await expect(service.create('acme', { name: 'x', roles: ['Viewer'], expiresAt: '2020-01-01T00:00:00Z' })).rejects.toBeInstanceOf(Validation);
  });

  it('does not revoke a key through another tenant', async () => {
    const created = await service.create('acme', { name: 'mine', roles: ['Viewer'] });
    await expect(service.revoke('globex', created.keyId)).rejects.toMatchObject({ status: 404 });
    await expect(service.authenticate(created.secret)).resolves.toMatchObject({ tenantId: 'acme' });
  });
});

describe('verified keys kept for a few seconds', () => {
  const refuses = (keys: ApiKeyService, token: string) => expect(keys.authenticate(token)).rejects.toBeInstanceOf(Unauthorized);

  it('stops a key at once when it is revoked after use, also through another service on the same store', async () => {
    const created = await service.create('acme', { name: 'hot', roles: ['Viewer'] });
    await expect(service.authenticate(created.secret)).resolves.toMatchObject({ tenantId: 'acme' });
    await service.revoke('acme', created.keyId);
    await refuses(service, created.secret);

    const other = await service.create('acme', { name: 'hot2', roles: ['Viewer'] });
    await expect(service.authenticate(other.secret)).resolves.toMatchObject({ roles: ['Viewer'] });
    await new ApiKeyService(store, () => now).revoke('acme', other.keyId);
    await refuses(service, other.secret);
  });

  it('does not keep a verification that raced with a revoke', async () => {
    const created = await service.create('acme', { name: 'race', roles: ['Viewer'] });
    const during = service.authenticate(created.secret).catch(() => undefined);
    await service.revoke('acme', created.keyId);
    await during;
    await refuses(service, created.secret);
  });

  it('stops a key at its expiry even while it is kept', async () => {
    const soon = new Date(now.getTime() + 2_000).toISOString();
    const created = await service.create('acme', { name: 'brief', roles: ['Viewer'], expiresAt: soon });
    await expect(service.authenticate(created.secret)).resolves.toMatchObject({ name: 'brief' });
    now = new Date(now.getTime() + 2_001);
    await refuses(service, created.secret);
  });

  it('hands out principals a caller cannot use to change the kept one', async () => {
    const created = await service.create('acme', { name: 'shared', roles: ['Viewer'] });
    const first = await service.authenticate(created.secret);
    first.roles.push('TenantAdmin');
    const second = await service.authenticate(created.secret);
    second.roles.push('TenantAdmin');
    await expect(service.authenticate(created.secret)).resolves.toMatchObject({ roles: ['Viewer'] });
  });
});

describe('bootstrap PlatformAdmin key', () => {
  it('is generated and printed once, then used as a platform-wide admin', async () => {
    const bootStore = SqliteDocumentStore.open(dataDir, 'boot.sqlite');
    const keys = new ApiKeyService(bootStore);
    const printed: string[] = [];
    await ensureBootstrapAdminKey(keys, { configuredKey: undefined, mayPrint: true, write: (text) => printed.push(text) });
    await ensureBootstrapAdminKey(keys, { configuredKey: undefined, mayPrint: true, write: (text) => printed.push(text) });
    expect(printed).toHaveLength(1);
    const token = /sf_\S+/.exec(printed[0])![0];
    await expect(keys.authenticate(token)).resolves.toMatchObject({ tenantId: null, roles: ['PlatformAdmin'] });

    const configured = 'a-configured-admin-key-of-some-length';
    await ensureBootstrapAdminKey(keys, { configuredKey: configured, mayPrint: true, write: (text) => printed.push(text) });
    expect(printed).toHaveLength(1);
    await expect(keys.authenticate(configured)).resolves.toMatchObject({ tenantId: null, roles: ['PlatformAdmin'] });
    await expect(keys.authenticate(token)).rejects.toBeInstanceOf(Unauthorized);

    // A key a person chose is stored with a slow salted hash (scrypt), never as its plain SHA-256.
    const stored = await bootStore.read<{ id: string; tenantId: string; type: string; hash: string }>('identity', { tenantId: '_platform' }, 'bootstrap');
    expect(stored?.hash).toMatch(/^scrypt\$32768\$8\$3\$[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+$/);
    expect(stored?.hash).not.toContain(createHash('sha256').update(configured).digest('hex'));
    await expect(keys.authenticate(`${configured}x`)).rejects.toBeInstanceOf(Unauthorized);
    await expect(keys.authenticate('short')).rejects.toBeInstanceOf(Unauthorized);
    await expect(keys.authenticate(configured)).resolves.toMatchObject({ roles: ['PlatformAdmin'] });
    await bootStore.close();
  });

  it('is never generated nor printed in Azure: without FACTORY_ADMIN_KEY the start fails with its name', async () => {
    const bootStore = SqliteDocumentStore.open(dataDir, 'boot-azure.sqlite');
    const keys = new ApiKeyService(bootStore);
    const printed: string[] = [];
    await expect(ensureBootstrapAdminKey(keys, { configuredKey: undefined, mayPrint: false, write: (text) => printed.push(text) })).rejects.toThrow(/FACTORY_ADMIN_KEY/);
    expect(printed).toEqual([]);

    const configured = 'a-key-from-key-vault-of-some-length';
    await ensureBootstrapAdminKey(keys, { configuredKey: configured, mayPrint: false, write: (text) => printed.push(text) });
    expect(printed).toEqual([]);
    await expect(keys.authenticate(configured)).resolves.toMatchObject({ tenantId: null, roles: ['PlatformAdmin'] });
    await bootStore.close();
  });
});

describe('bearer dispatch and Entra ID tokens', () => {
  const issuer = 'https://login.example.test/tenant/v2.0';
  const audience = 'api://software-factory';

  async function setup() {
    const { createLocalJWKSet, exportJWK, generateKeyPair, SignJWT } = loadJose();
    const { publicKey, privateKey } = await generateKeyPair('RS256');
    const jwks = createLocalJWKSet({ keys: [{ ...(await exportJWK(publicKey)), kid: 'k1', alg: 'RS256' }] });
    const sign = (claims: Record<string, unknown>, options: { iss?: string; aud?: string; exp?: string | number } = {}) =>
      new SignJWT(claims)
        .setProtectedHeader({ alg: 'RS256', kid: 'k1' })
        .setIssuer(options.iss ?? issuer)
        .setAudience(options.aud ?? audience)
        .setSubject('user-1')
        .setIssuedAt()
        .setExpirationTime(options.exp ?? '5m')
        .sign(privateKey);
    const entra = new EntraTokenValidator({ issuer, audience, jwksUri: 'https://login.example.test/keys', keys: jwks });
    return { sign, authenticator: createAuthenticator({ apiKeys: service, entra }) };
  }

  it('maps roles and the tenant claim of a valid token', async () => {
    const { sign, authenticator } = await setup();
    const token = await sign({ oid: 'obj-1', roles: ['Architect', 'Unknown.Role'], extension_tenantId: 'acme' });
    await expect(authenticator.authenticate(`Bearer ${token}`)).resolves.toEqual({ id: 'entra:obj-1', tenantId: 'acme', roles: ['Architect'], kind: 'entra' });
  });

  it('rejects wrong issuer, wrong audience, expired tokens and tokens without a tenant', async () => {
    const { sign, authenticator } = await setup();
    const tokens = [
      await sign({ roles: ['Viewer'], tenantId: 'acme' }, { iss: 'https://evil.test' }),
      await sign({ roles: ['Viewer'], tenantId: 'acme' }, { aud: 'api://other' }),
      await sign({ roles: ['Viewer'], tenantId: 'acme' }, { exp: Math.floor(Date.parse('2020-01-01T00:00:00Z') / 1000) }),
      await sign({ roles: ['Viewer'] }),
    ];
    for (const token of tokens) await expect(authenticator.authenticate(`Bearer ${token}`)).rejects.toBeInstanceOf(Unauthorized);
  });

  it('sends factory keys to the key service and refuses JWTs when Entra is not configured', async () => {
    const created = await service.create('acme', { name: 'dispatch', roles: ['Viewer'] });
    const keysOnly = createAuthenticator({ apiKeys: service });
    await expect(keysOnly.authenticate(`Bearer ${created.secret}`)).resolves.toMatchObject({ kind: 'apiKey' });
    const { sign } = await setup();
    await expect(keysOnly.authenticate(`Bearer ${await sign({ tenantId: 'acme' })}`)).rejects.toBeInstanceOf(Unauthorized);
    await expect(keysOnly.authenticate(undefined)).rejects.toBeInstanceOf(Unauthorized);
    await expect(keysOnly.authenticate(`Basic abc`)).rejects.toBeInstanceOf(Unauthorized);
  });
});
