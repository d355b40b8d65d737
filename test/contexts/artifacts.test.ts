import fs from 'node:fs';
import { createHash } from 'node:crypto';
import { AuditTrail } from '../../shared/audit/service';
import type { Artifact, Lineage } from '../../shared/artifacts/schemas';
import { ArtifactService, type StoreArtifactInput } from '../../shared/artifacts/service';
import { FileBlobStore } from '../../shared/platform/blobs/fileBlobStore';
import { EventOutbox } from '../../shared/platform/eventOutbox';
import { NotFound, Validation } from '../../shared/platform/http/errors';
import { StoreConflict } from '../../shared/platform/ports';
import { SqliteDocumentStore } from '../../shared/platform/store/sqliteDocumentStore';
import { createJsonLinesTelemetry } from '../../shared/platform/telemetry/jsonLinesTelemetry';
import type { ProjectDocument } from '../../shared/projects/lookup';
import { FactoryApp, startFactoryApp } from '../support/factoryApp';
import { tempDataDir } from '../support/hostProcess';
import { RecordingMessaging } from '../support/inProcessPlatform';

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');
const TRACE = '0af7651916cd43dd8448eb211c80319c';


/**
 * The store, instrumented to make races certain: after `holdSeriesReads(n)` the next n reads of a
 * series document wait for each other, so n concurrent stores all see the same series before any
 * commits. Counts the batches that lost a race.
 */
function instrumented(store: SqliteDocumentStore) {
  let conflicts = 0;
  let gate: { arrived: number; size: number; open: () => void; opened: Promise<void> } | undefined;
  const proxy = new Proxy(store, {
    get(target, property, receiver) {
      const value = Reflect.get(target, property, receiver);
      if (property === 'read' && typeof value === 'function') {
        return async (...args: unknown[]) => {
          const held = gate;
          if (held && String(args[2]).startsWith('series-')) {
            if (++held.arrived === held.size) {
              gate = undefined;
              held.open();
            }
            await held.opened;
          }
          return value.apply(target, args);
        };
      }
      if (property === 'batch' && typeof value === 'function') {
        return async (...args: unknown[]) => {
          try {
            return await value.apply(target, args);
          } catch (error) {
            if (error instanceof StoreConflict) conflicts++;
            throw error;
          }
        };
      }
      return value;
    },
  });
  return {
    store: proxy,
    conflicts: () => conflicts,
    holdSeriesReads(size: number) {
      let open = () => {};
      const opened = new Promise<void>((resolve) => (open = resolve));
      gate = { arrived: 0, size, open, opened };
    },
  };
}

describe('ArtifactService (SQLite store, file blobs)', () => {
  const dataDir = tempDataDir('artifacts-service-');
  const sqlite = SqliteDocumentStore.open(dataDir);
  const { store, conflicts, holdSeriesReads } = instrumented(sqlite);
  const messaging = new RecordingMessaging();
  const outbox = new EventOutbox(store, new AuditTrail(store), messaging, createJsonLinesTelemetry({ write: () => undefined }));
  const service = new ArtifactService({ store, blobs: new FileBlobStore(dataDir), outbox });
  const key = { tenantId: 'acme', projectId: 'shop' };
  const change = { principal: { id: 'apikey:agent' }, traceId: TRACE };
  const draft = (content: string, name = 'src/service.ts'): StoreArtifactInput => ({
    ...key,
    module: 'orders',
    kind: 'service-code',
    name,
    content: Buffer.from(content),
    contentType: 'text/typescript',
    originatingAgent: 'backend-developer',
    skill: 'GenerateService',
    inputs: [],
  });
  const storedEvents = () => messaging.published.map((m) => m.body as { id: string; type: string; data: { artifactId: string } }).filter((e) => e.type === 'ArtifactStored.v1');

  beforeAll(async () => {
    const now = new Date().toISOString();
    await store.create<ProjectDocument>('projects', { id: 'shop', tenantId: 'acme', type: 'project', name: 'Shop', environments: ['dev'], createdAt: now, createdBy: 'test', updatedAt: now });
  });
  afterAll(async () => {
    await outbox.settled();
    await store.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('stores the same content once, even when ten deliveries race, and emits one ArtifactStored', async () => {
    const before = conflicts();
    holdSeriesReads(10);
    const results = await Promise.all(Array.from({ length: 10 }, () => service.store(draft('export const a = 1;\n', 'src/race.ts'), change)));
    expect(conflicts()).toBeGreaterThan(before);
    expect(new Set(results.map((r) => r.artifact.id)).size).toBe(1);
    expect(results.filter((r) => r.created)).toHaveLength(1);
    expect(results[0].artifact).toMatchObject({ version: 1, contentHash: sha256(Buffer.from('export const a = 1;\n')), traceId: TRACE, createdBy: 'apikey:agent' });
    await outbox.settled();
    await outbox.drain();
    // Delivery is at least once (consumers de-duplicate by event id): count distinct events.
    expect(new Set(storedEvents().filter((e) => e.data.artifactId === results[0].artifact.id).map((e) => e.id)).size).toBe(1);
  });

  it('gives racing distinct contents distinct consecutive versions', async () => {
    const before = conflicts();
    holdSeriesReads(6);
    const results = await Promise.all(Array.from({ length: 6 }, (_, i) => service.store(draft(`export const v = ${i};\n`, 'src/versions.ts'), change)));
    expect(conflicts()).toBeGreaterThan(before);
    expect(results.every((r) => r.created)).toBe(true);
    expect(results.map((r) => r.artifact.version).sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6]);
    const versions = await service.versions(key, results[0].artifact.id, { limit: 100 });
    expect(versions.items.map((a) => a.version)).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('answers content identical to an earlier version with that version', async () => {
    const first = await service.store(draft('one', 'docs/revert.md'), change);
    await service.store(draft('two', 'docs/revert.md'), change);
    const again = await service.store(draft('one', 'docs/revert.md'), change);
    expect(again).toEqual({ artifact: first.artifact, created: false });
  });

  it('refuses inputs that are not artifacts of the project, naming each', async () => {
    const known = (await service.store(draft('input'), change)).artifact.id;
    const error = await service.store({ ...draft('derived', 'src/derived.ts'), inputs: [known, 'art-missing'] }, change).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Validation);
    expect((error as Validation).errors).toEqual([{ path: 'inputs[1]', message: "no artifact 'art-missing' in this project" }]);
  });

  it('answers 404 for a project that does not exist', async () => {
    await expect(service.store({ ...draft('x'), projectId: 'nope' }, change)).rejects.toBeInstanceOf(NotFound);
  });
});

describe('artifact quota per project (maxArtifactsPerProject)', () => {
  const dataDir = tempDataDir('artifacts-quota-');
  const store = SqliteDocumentStore.open(dataDir);
  const outbox = new EventOutbox(store, new AuditTrail(store), new RecordingMessaging(), createJsonLinesTelemetry({ write: () => undefined }));
  const LIMIT = 5;
  const service = new ArtifactService({ store, blobs: new FileBlobStore(dataDir), outbox, maxArtifacts: async () => ({ limit: LIMIT, edition: 'free' }) });
  const change = { principal: { id: 'apikey:agent' }, traceId: TRACE };
  const draft = (projectId: string, name: string, content = `// ${name}\n`): StoreArtifactInput => ({
    tenantId: 'acme',
    projectId,
    kind: 'service-code',
    name,
    content: Buffer.from(content),
    contentType: 'text/typescript',
    inputs: [],
  });
  const newProject = async (projectId: string) => {
    const now = new Date().toISOString();
    await store.create<ProjectDocument>('projects', { id: projectId, tenantId: 'acme', type: 'project', name: projectId, environments: ['dev'], createdAt: now, createdBy: 'test', updatedAt: now });
  };

  afterAll(async () => {
    await outbox.settled();
    await store.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('refuses a new artifact beyond the quota with 429 ArtifactQuotaExceeded, but re-stores of existing content still answer', async () => {
    await newProject('quota-a');
    for (let i = 0; i < LIMIT; i++) expect((await service.store(draft('quota-a', `src/f${i}.ts`), change)).created).toBe(true);
    const refused = await service.store(draft('quota-a', 'src/one-too-many.ts'), change).catch((error: unknown) => error);
    expect(refused).toMatchObject({ status: 429, code: 'ArtifactQuotaExceeded' });
    expect(String((refused as Error).message)).toContain('5 artifacts per project');
    const again = await service.store(draft('quota-a', 'src/f0.ts'), change);
    expect(again).toMatchObject({ created: false, artifact: { name: 'src/f0.ts', version: 1 } });
    // A new version of an existing series is a new artifact too.
    await expect(service.store(draft('quota-a', 'src/f0.ts', 'changed'), change)).rejects.toMatchObject({ code: 'ArtifactQuotaExceeded' });
    const listed = await service.list({ tenantId: 'acme', projectId: 'quota-a' }, {}, { limit: 100 });
    expect(listed.items).toHaveLength(LIMIT);
  });

  it('lets exactly the quota through when many distinct stores race, with no contention failures', async () => {
    await newProject('quota-race');
    const outcomes = await Promise.allSettled(Array.from({ length: 12 }, (_, i) => service.store(draft('quota-race', `src/race${i}.ts`), change)));
    const created = outcomes.filter((o) => o.status === 'fulfilled');
    const refused = outcomes.filter((o): o is PromiseRejectedResult => o.status === 'rejected');
    expect(created).toHaveLength(LIMIT);
    expect(refused.map((o) => (o.reason as { code?: string }).code)).toEqual(Array(12 - LIMIT).fill('ArtifactQuotaExceeded'));
    expect((await service.list({ tenantId: 'acme', projectId: 'quota-race' }, {}, { limit: 100 })).items).toHaveLength(LIMIT);
  });

  it('counts artifacts stored before the quota was enforced', async () => {
    await newProject('quota-old');
    const unlimited = new ArtifactService({ store, blobs: new FileBlobStore(dataDir), outbox });
    for (let i = 0; i < LIMIT; i++) await unlimited.store(draft('quota-old', `src/old${i}.ts`), change);
    await expect(service.store(draft('quota-old', 'src/new.ts'), change)).rejects.toMatchObject({ status: 429, code: 'ArtifactQuotaExceeded' });
  });

  it('keeps each project to its own count', async () => {
    await newProject('quota-b');
    expect((await service.store(draft('quota-b', 'src/f0.ts'), change)).created).toBe(true);
  });
});

describe('artifacts API', () => {
  let app: FactoryApp;
  let viewerKey: string;
  let agentKey: string;
  let foreignKey: string;
  const base = 'tenants/acme/projects/shop/artifacts';
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- an artifact or a problem, asserted field by field
  const post = (body: unknown, key?: string) => app.call<Artifact & Record<string, any>>('POST', base, { body, key });
  const artifact = (name: string, content: string, extra: Record<string, unknown> = {}) => ({
    module: 'orders',
    kind: 'service-code',
    name,
    content,
    contentType: 'text/typescript',
    originatingAgent: 'backend-developer',
    skill: 'GenerateService',
    ...extra,
  });

  beforeAll(async () => {
    app = await startFactoryApp();
    expect((await app.call('POST', 'tenants', { body: { tenantId: 'acme', name: 'Acme', edition: 'pro' } })).status).toBe(201);
    expect((await app.call('POST', 'tenants/acme/projects', { body: { projectId: 'shop', name: 'Shop' } })).status).toBe(201);
    expect((await app.call('POST', 'tenants', { body: { tenantId: 'rival', name: 'Rival', edition: 'pro' } })).status).toBe(201);
    const key = async (tenant: string, roles: string[]) => {
      const created = await app.call<{ secret: string }>('POST', `tenants/${tenant}/keys`, { body: { name: roles.join('-'), roles } });
      expect(created.status).toBe(201);
      return created.body.secret;
    };
    viewerKey = await key('acme', ['Viewer']);
    agentKey = await key('acme', ['Agent']);
    foreignKey = await key('rival', ['TenantAdmin']);
  });
  afterAll(() => app?.stop());

  it('stores an artifact and returns its metadata and content', async () => {
    const created = await post(artifact('src/app.ts', 'export const app = 1;\n'), agentKey);
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      tenantId: 'acme',
      projectId: 'shop',
      module: 'orders',
      kind: 'service-code',
      name: 'src/app.ts',
      version: 1,
      contentHash: sha256(Buffer.from('export const app = 1;\n')),
      size: 22,
      contentType: 'text/typescript',
      originatingAgent: 'backend-developer',
      skill: 'GenerateService',
      inputs: [],
      validation: { status: 'pending', findings: [] },
    });
    expect(created.body.traceId).toMatch(/^[0-9a-f]{32}$/);
    expect(created.body.createdBy).toMatch(/^apikey:/);
    expect(created.headers.get('location')).toBe(`/api/${base}/${created.body.id}`);

    const read = await app.call<Artifact>('GET', `${base}/${created.body.id}`, { key: viewerKey });
    expect(read).toMatchObject({ status: 200, body: created.body });
    const content = await fetch(`${app.host.origin}/api/${base}/${created.body.id}/content`, { headers: { authorization: `Bearer ${viewerKey}` } });
    expect(content.status).toBe(200);
    expect(content.headers.get('content-type')).toBe('text/typescript');
    expect(await content.text()).toBe('export const app = 1;\n');
  });

  it('round-trips binary content given as base64', async () => {
    const bytes = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
    const created = await post({ kind: 'other', name: 'bin/all-bytes.bin', content: bytes.toString('base64'), encoding: 'base64' });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ size: 256, contentType: 'application/octet-stream', contentHash: sha256(bytes) });
    const content = await fetch(`${app.host.origin}/api/${base}/${created.body.id}/content`, { headers: { authorization: `Bearer ${viewerKey}` } });
    expect(content.headers.get('content-type')).toBe('application/octet-stream');
    expect(Buffer.from(await content.arrayBuffer()).equals(bytes)).toBe(true);
  });

  it('stores the same content twice as one artifact, and new content as the next version', async () => {
    const first = await post(artifact('src/orders.ts', 'v1'));
    const same = await post(artifact('src/orders.ts', 'v1'));
    expect(first.status).toBe(201);
    expect(same.status).toBe(200);
    expect(same.body).toEqual(first.body);

    const second = await post(artifact('src/orders.ts', 'v2'));
    expect(second.status).toBe(201);
    expect(second.body.version).toBe(2);
    expect(second.body.id).not.toBe(first.body.id);
    const versions = await app.call<{ items: Artifact[] }>('GET', `${base}/${first.body.id}/versions`);
    expect(versions.body.items.map((a) => [a.version, a.id])).toEqual([[1, first.body.id], [2, second.body.id]]);
  });

  it('lists by module, kind and workflow, page by page', async () => {
    for (let i = 0; i < 5; i++) expect((await post(artifact(`tests/t${i}.test.ts`, `test ${i}`, { kind: 'tests', module: 'billing', workflowId: 'wf-42' }))).status).toBe(201);
    expect((await post(artifact('infra/main.bicep', 'param x string', { kind: 'bicep', module: 'billing' }))).status).toBe(201);

    const names = (page: { items: Artifact[] }) => page.items.map((a) => a.name);
    const first = await app.call<{ items: Artifact[]; continuation?: string }>('GET', `${base}?module=billing&kind=tests&limit=3`, { key: viewerKey });
    expect(first.status).toBe(200);
    expect(names(first.body)).toEqual(['tests/t0.test.ts', 'tests/t1.test.ts', 'tests/t2.test.ts']);
    const rest = await app.call<{ items: Artifact[]; continuation?: string }>('GET', `${base}?module=billing&kind=tests&limit=3&continuation=${encodeURIComponent(first.body.continuation!)}`);
    expect(names(rest.body)).toEqual(['tests/t3.test.ts', 'tests/t4.test.ts']);
    expect(rest.body.continuation).toBeUndefined();

    const byWorkflow = await app.call<{ items: Artifact[] }>('GET', `${base}?workflowId=wf-42`);
    expect(byWorkflow.body.items).toHaveLength(5);
    const bicep = await app.call<{ items: Artifact[] }>('GET', `${base}?module=billing&kind=bicep`);
    expect(names(bicep.body)).toEqual(['infra/main.bicep']);

    const badToken = await app.call('GET', `${base}?continuation=not-a-token`);
    expect(badToken.status).toBe(400);
    expect(badToken.body.errors).toEqual([expect.objectContaining({ path: 'query.continuation' })]);
  });

  it('draws the lineage of a three-level chain, bounded by depth', async () => {
    const vision = await post(artifact('vision.md', '# Vision', { kind: 'vision-document', module: undefined, originatingAgent: 'vision-architect', skill: 'DraftVisionDocument' }));
    const architecture = await post(artifact('architecture.md', '# Architecture', { kind: 'architecture-document', module: undefined, inputs: [vision.body.id] }));
    const contract = await post(artifact('openapi.yaml', 'openapi: 3.1.0', { kind: 'openapi-contract', inputs: [architecture.body.id, vision.body.id] }));
    const service = await post(artifact('src/lineage.ts', 'export {};', { inputs: [contract.body.id] }));
    expect([vision.status, architecture.status, contract.status, service.status]).toEqual([201, 201, 201, 201]);

    const lineage = await app.call<Lineage>('GET', `${base}/${service.body.id}/lineage`, { key: viewerKey });
    expect(lineage.status).toBe(200);
    expect(lineage.body.root).toBe(service.body.id);
    expect(Object.fromEntries(lineage.body.nodes.map((n) => [n.id, n.depth]))).toEqual({
      [service.body.id]: 0,
      [contract.body.id]: 1,
      [architecture.body.id]: 2,
      [vision.body.id]: 2,
    });
    expect(lineage.body.edges).toEqual(
      expect.arrayContaining([
        { from: contract.body.id, to: service.body.id },
        { from: architecture.body.id, to: contract.body.id },
        { from: vision.body.id, to: contract.body.id },
        { from: vision.body.id, to: architecture.body.id },
      ]),
    );
    expect(lineage.body.edges).toHaveLength(4);
    expect(lineage.body.truncated).toBe(false);

    const shallow = await app.call<Lineage>('GET', `${base}/${service.body.id}/lineage?depth=1`);
    expect(shallow.body.nodes.map((n) => n.id).sort()).toEqual([service.body.id, contract.body.id].sort());
    expect(shallow.body.truncated).toBe(true);
  });

  it('records a validation verdict (Agent or Developer only)', async () => {
    const target = await post(artifact('src/validated.ts', 'export const ok = true;'));
    const verdict = { status: 'failed', details: '1 of 3 tests failed', findings: [{ path: 'orders.test.ts', message: 'expected 201, got 500' }] };
    expect((await app.call('PATCH', `${base}/${target.body.id}/validation`, { body: verdict, key: viewerKey })).status).toBe(403);
    const patched = await app.call<Artifact>('PATCH', `${base}/${target.body.id}/validation`, { body: verdict, key: agentKey });
    expect(patched.status).toBe(200);
    expect(patched.body.validation).toMatchObject(verdict);
    expect((await app.call<Artifact>('GET', `${base}/${target.body.id}`)).body.validation.status).toBe('failed');
    const bad = await app.call('PATCH', `${base}/${target.body.id}/validation`, { body: { status: 'great' }, key: agentKey });
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((e: { path: string }) => e.path)).toEqual(['body.status']);
  });

  it('answers a verdict with a stale If-Match with 412 and keeps the current one', async () => {
    const target = await post(artifact('src/guarded.ts', 'export const guarded = true;'));
    const etag = (await app.call('GET', `${base}/${target.body.id}`)).headers.get('etag')!;
    expect(etag).toMatch(/^".+"$/);
    const first = await app.call<Artifact>('PATCH', `${base}/${target.body.id}/validation`, { body: { status: 'passed' }, key: agentKey, headers: { 'if-match': etag } });
    expect(first.status).toBe(200);
    const stale = await app.call('PATCH', `${base}/${target.body.id}/validation`, { body: { status: 'failed' }, key: agentKey, headers: { 'if-match': etag } });
    expect(stale.status).toBe(412);
    expect(stale.body).toMatchObject({ code: 'PreconditionFailed' });
    expect((await app.call<Artifact>('GET', `${base}/${target.body.id}`)).body.validation.status).toBe('passed');
  });

  it('is invisible to another tenant', async () => {
    const mine = await post(artifact('src/secret.ts', 'secret'));
    for (const path of [base, `${base}/${mine.body.id}`, `${base}/${mine.body.id}/content`, `${base}/${mine.body.id}/lineage`, `${base}/${mine.body.id}/versions`]) {
      expect([path, (await app.call('GET', path, { key: foreignKey })).status]).toEqual([path, 404]);
    }
    expect((await post(artifact('src/intruder.ts', 'x'), foreignKey)).status).toBe(404);
    expect((await app.call('GET', 'tenants/rival/projects/shop/artifacts', { key: foreignKey })).status).toBe(404);
  });

  it('does not let a Viewer store artifacts', async () => {
    const denied = await post(artifact('src/viewer.ts', 'x'), viewerKey);
    expect(denied.status).toBe(403);
    expect(denied.headers.get('content-type')).toMatch(/application\/problem\+json/);
  });

  it('answers a bad body with every problem and its path', async () => {
    const bad = await post({ kind: 'poem', name: '../escape.ts', content: '%%%', encoding: 'base64', inputs: 'none', contentType: 'not a type' });
    expect(bad.status).toBe(400);
    expect(bad.headers.get('content-type')).toMatch(/application\/problem\+json/);
    expect(bad.body.errors.map((e: { path: string }) => e.path).sort()).toEqual(['body.contentType', 'body.inputs', 'body.kind', 'body.name'].sort());

    const badBase64 = await post({ kind: 'other', name: 'x.bin', content: '%%%', encoding: 'base64' });
    expect(badBase64.body.errors).toEqual([{ path: 'body.content', message: 'not valid base64' }]);

    const unknownInput = await post(artifact('src/orphan.ts', 'x', { inputs: ['art-unknown'] }));
    expect(unknownInput.status).toBe(400);
    expect(unknownInput.body.errors).toEqual([{ path: 'body.inputs[0]', message: "no artifact 'art-unknown' in this project" }]);
  });

  it('answers 404 for an unknown artifact or project', async () => {
    for (const path of [`${base}/art-unknown`, `${base}/art-unknown/content`, `${base}/art-unknown/lineage`, `${base}/art-unknown/versions`, 'tenants/acme/projects/nope/artifacts']) {
      const res = await app.call('GET', path, { key: viewerKey });
      expect([path, res.status]).toEqual([path, 404]);
    }
    expect((await app.call('PATCH', `${base}/art-unknown/validation`, { body: { status: 'passed' }, key: agentKey })).status).toBe(404);
  });

  it('is described in openapi.json', async () => {
    const doc = await app.call<{ paths: Record<string, Record<string, unknown>> }>('GET', 'openapi.json', { key: '' });
    const prefix = '/api/tenants/{tenantId}/projects/{projectId}/artifacts';
    expect(Object.keys(doc.body.paths[prefix]).sort()).toEqual(['get', 'post']);
    for (const suffix of ['/{artifactId}', '/{artifactId}/content', '/{artifactId}/lineage', '/{artifactId}/versions']) expect(doc.body.paths[`${prefix}${suffix}`]).toHaveProperty('get');
    expect(doc.body.paths[`${prefix}/{artifactId}/validation`]).toHaveProperty('patch');
  });
});
