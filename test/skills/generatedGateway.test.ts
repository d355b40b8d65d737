import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { CryptoKey, JWK } from 'jose';
import { parseBlueprint } from '../../shared/blueprints';
import { loadJose } from '../../shared/platform/auth/jose';
import { CaptureBroker } from '../../shared/skills/validate/captureBroker';
import { buildGeneratedService, startGeneratedService, tempRoot, type RunningService } from './generatedServiceSupport';

// A generated gateway in front of a generated service: requests under the service's prefix reach it
// through the gateway's proxy, and the gateway accepts only Entra ID tokens for its tenant and
// audience. Entra is stood in for by a JWKS server on loopback (AUTH_AUTHORITY), so the tokens are
// real RS256 JWTs checked against real keys; nothing leaves the machine.

jest.setTimeout(600_000);

const TENANT = '00000000-0000-4000-8000-00000000beef';
const AUDIENCE = 'api://edge-gateway';
const parsed = parseBlueprint(`apiVersion: factory/v1
kind: Blueprint
metadata: { name: petshop }
spec:
  edition: pro
  environments: [dev]
  modules:
    - name: PetService
      kind: microservice
      entities:
        - name: Pet
          fields: { name: string }
      api: { routePrefix: /pets, versions: [v1] }
    - name: EdgeGateway
      kind: gateway
      dependsOn: [PetService]
      api: { routePrefix: /edge, versions: [v1], auth: entra }
`);
if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
const blueprint = parsed.blueprint;
const { exportJWK, generateKeyPair, SignJWT } = loadJose();

/** An OpenID-style key endpoint at `/{tenant}/discovery/v2.0/keys`, as Entra ID serves it. */
async function startKeyServer(jwk: JWK): Promise<{ authority: string; close(): Promise<void> }> {
  const server = http.createServer((request, response) => {
    if (request.url !== `/${TENANT}/discovery/v2.0/keys`) return void response.writeHead(404).end();
    response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: [jwk] }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { authority: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

describe('a generated gateway with Entra ID auth in front of a generated service', () => {
  const root = tempRoot('generated-gateway-');
  const broker = new CaptureBroker();
  let keys: { close(): Promise<void> };
  let issuer: string;
  let signingKey: CryptoKey;
  let otherKey: CryptoKey;
  let service: RunningService;
  let gateway: RunningService;

  const token = (claims: { aud?: string; iss?: string; exp?: number } = {}, key = signingKey) =>
    new SignJWT({ scp: 'pets.readwrite' })
      .setProtectedHeader({ alg: 'RS256', kid: 'key-1' })
      .setIssuer(claims.iss ?? issuer)
      .setAudience(claims.aud ?? AUDIENCE)
      .setIssuedAt()
      .setExpirationTime(claims.exp ?? Math.floor(Date.now() / 1000) + 600)
      .sign(key);
  const call = (base: string, route: string, init: { method?: string; token?: string; body?: unknown; headers?: Record<string, string> } = {}) =>
    fetch(`${base}${route}`, {
      method: init.method ?? 'GET',
      headers: { ...(init.token ? { authorization: `Bearer ${init.token}` } : {}), ...(init.body ? { 'content-type': 'application/json' } : {}), ...init.headers },
      body: init.body ? JSON.stringify(init.body) : undefined,
    });

  beforeAll(async () => {
    const pair = await generateKeyPair('RS256');
    signingKey = pair.privateKey;
    otherKey = (await generateKeyPair('RS256')).privateKey;
    const server = await startKeyServer({ ...(await exportJWK(pair.publicKey)), kid: 'key-1', alg: 'RS256', use: 'sig' });
    keys = server;
    issuer = `${server.authority}/${TENANT}/v2.0`;
    const brokerUrl = await broker.start();
    const common = { BROKER_URL: brokerUrl, BROKER_KEY: broker.key, RECEIVE_WAIT_MS: '500' };
    service = await startGeneratedService(buildGeneratedService(blueprint, 'PetService', root), { ...common, SQLITE_PATH: path.join(root, 'pets.db') });
    gateway = await startGeneratedService(buildGeneratedService(blueprint, 'EdgeGateway', root), {
      ...common,
      SQLITE_PATH: path.join(root, 'gateway.db'),
      PET_SERVICE_URL: service.url,
      AUTH_TENANT_ID: TENANT,
      AUTH_AUDIENCE: AUDIENCE,
      AUTH_AUTHORITY: server.authority,
    });
  });

  afterAll(async () => {
    await gateway?.stop();
    await service?.stop();
    await broker.stop();
    await keys?.close();
  });

  it('routes a create and a read through to the service with a valid token, keeping the caller\'s trace', async () => {
    const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
    const created = await call(gateway.url, '/pets/v1/pets', { method: 'POST', token: await token(), body: { name: 'Rex' }, headers: { traceparent: `00-${traceId}-00f067aa0ba902b7-01` } });
    expect(created.status).toBe(201);
    expect(created.headers.get('traceparent')).toContain(traceId);
    const pet = (await created.json()) as { id: string; name: string };
    expect(pet.name).toBe('Rex');
    const read = await call(gateway.url, `/pets/v1/pets/${pet.id}`, { token: await token() });
    expect(read.status).toBe(200);
    expect(await read.json()).toMatchObject({ id: pet.id, name: 'Rex' });
    const direct = await call(service.url, `/pets/v1/pets/${pet.id}`);
    expect(direct.status).toBe(200);
  });

  it.each([
    ['no token', async () => undefined],
    ['a token for another audience', async () => token({ aud: 'api://someone-else' })],
    ['a token from another issuer', async () => token({ iss: `https://login.microsoftonline.com/${TENANT}/v2.0` })],
    ['an expired token', async () => token({ exp: Math.floor(Date.now() / 1000) - 120 })],
    ['a token signed by a key the tenant does not publish', async () => token({}, otherKey)],
    ['a malformed token', async () => 'not.a.jwt'],
  ])('refuses %s with 401 problem+json before anything reaches the service', async (_case, makeToken) => {
    const before = ((await (await call(service.url, '/pets/v1/pets')).json()) as { items: unknown[] }).items.length;
    const response = await call(gateway.url, '/pets/v1/pets', { method: 'POST', token: await makeToken(), body: { name: 'Intruder' } });
    expect(response.status).toBe(401);
    expect(response.headers.get('content-type')).toContain('application/problem+json');
    expect(response.headers.get('www-authenticate')).toMatch(/^Bearer/);
    const after = ((await (await call(service.url, '/pets/v1/pets')).json()) as { items: unknown[] }).items.length;
    expect(after).toBe(before);
  });

  it('answers its health probes without a token', async () => {
    expect((await call(gateway.url, '/health/live')).status).toBe(200);
    expect((await call(gateway.url, '/health/ready')).status).toBe(200);
  });
});
