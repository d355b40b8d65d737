import { randomUUID } from 'node:crypto';
import { StoreConflict, StoreNotFound, type DocumentStore, type StoredDocument } from '../../shared/platform/ports';
import { StoreRequestError } from '../../shared/platform/store';

/** Behaviours an adapter's test backend cannot show, each with the reason (the case is skipped). */
export interface StoreContractGaps {
  /** A failing batch operation leaves the earlier ones unapplied. */
  atomicBatch?: string;
  /** The same id in two projects of one tenant (hierarchical partition key). */
  sameIdAcrossProjects?: string;
}

interface Item extends StoredDocument {
  rank?: number;
  status?: string;
  done?: boolean;
  spec?: { owner: string };
}

/** The one `DocumentStore` contract every adapter passes. */
export function describeDocumentStoreContract(name: string, openStore: () => Promise<DocumentStore>, gaps: StoreContractGaps = {}): void {
  describe(`DocumentStore contract: ${name}`, () => {
    let store: DocumentStore;
    const tenant = () => `t-${randomUUID()}`;
    const unless = (gap: string | undefined) => (gap ? it.skip : it);

    beforeAll(async () => {
      store = await openStore();
    });
    afterAll(async () => {
      await store?.close();
    });

    it('creates, reads, upserts, replaces and deletes a document', async () => {
      const tenantId = tenant();
      const created = await store.create<Item>('projects', { id: 'p1', tenantId, type: 'project', status: 'new', spec: { owner: 'ana' } });
      expect(created).toMatchObject({ id: 'p1', tenantId, status: 'new', spec: { owner: 'ana' } });
      expect(typeof created._etag).toBe('string');
      expect(await store.read<Item>('projects', { tenantId }, 'p1')).toEqual(created);

      const upserted = await store.upsert<Item>('projects', { ...created, status: 'active' });
      expect(upserted.status).toBe('active');
      expect(upserted._etag).not.toBe(created._etag);

      const replaced = await store.replace<Item>('projects', { id: 'p1', tenantId, type: 'project', status: 'archived' });
      expect(replaced.spec).toBeUndefined();
      expect((await store.read<Item>('projects', { tenantId }, 'p1'))?.status).toBe('archived');

      await store.delete('projects', { tenantId }, 'p1');
      expect(await store.read('projects', { tenantId }, 'p1')).toBeUndefined();
    });

    it('upsert creates a missing document; replace and delete of a missing one are not found', async () => {
      const tenantId = tenant();
      expect((await store.upsert('identity', { id: 'k1', tenantId, type: 'apiKey' })).id).toBe('k1');
      await expect(store.replace('identity', { id: 'nope', tenantId, type: 'apiKey' })).rejects.toBeInstanceOf(StoreNotFound);
      await expect(store.delete('identity', { tenantId }, 'nope')).rejects.toBeInstanceOf(StoreNotFound);
    });

    it('refuses a create over an existing id', async () => {
      const tenantId = tenant();
      await store.create('tenants', { id: 'acme', tenantId, type: 'tenant', name: 'first' });
      await expect(store.create('tenants', { id: 'acme', tenantId, type: 'tenant', name: 'second' })).rejects.toBeInstanceOf(StoreConflict);
      expect((await store.read('tenants', { tenantId }, 'acme'))?.name).toBe('first');
    });

    it('refuses a replace or delete with a stale ETag and accepts the current one', async () => {
      const tenantId = tenant();
      const v1 = await store.create<Item>('governance', { id: 'pol', tenantId, type: 'policy', rank: 1 });
      const v2 = await store.replace<Item>('governance', { ...v1, rank: 2 }, v1._etag);
      await expect(store.replace('governance', { ...v1, rank: 3 }, v1._etag)).rejects.toBeInstanceOf(StoreConflict);
      await expect(store.delete('governance', { tenantId }, 'pol', v1._etag)).rejects.toBeInstanceOf(StoreConflict);
      expect((await store.read<Item>('governance', { tenantId }, 'pol'))?.rank).toBe(2);
      await store.delete('governance', { tenantId }, 'pol', v2._etag);
      expect(await store.read('governance', { tenantId }, 'pol')).toBeUndefined();
    });

    it('pages an ordered, filtered query with continuation tokens', async () => {
      const tenantId = tenant();
      for (let rank = 1; rank <= 12; rank++) {
        await store.create<Item>('projects', {
          id: `doc-${String(rank).padStart(2, '0')}`, tenantId, type: 'item', rank,
          status: rank % 4 === 0 ? 'closed' : 'open', done: rank > 10, spec: { owner: rank % 2 ? 'ana' : 'bo' },
        });
      }
      const ranks: number[] = [];
      let continuation: string | undefined;
      let pages = 0;
      do {
        const page = await store.query<Item>('projects', { tenantId }, {
          where: [{ field: 'status', op: '=', value: 'open' }, { field: 'rank', op: '>=', value: 2 }],
          orderBy: { field: 'rank', direction: 'desc' }, limit: 2, continuation,
        });
        expect(page.items.length).toBeLessThanOrEqual(2);
        ranks.push(...page.items.map((i) => i.rank!));
        continuation = page.continuation;
        pages++;
      } while (continuation && pages < 20);
      expect(ranks).toEqual([11, 10, 9, 7, 6, 5, 3, 2]);
      expect(pages).toBeGreaterThanOrEqual(4);

      const nested = await store.query<Item>('projects', { tenantId }, { where: [{ field: 'spec.owner', op: '=', value: 'bo' }], orderBy: { field: 'rank' } });
      expect(nested.items.map((i) => i.rank)).toEqual([2, 4, 6, 8, 10, 12]);
      const flags = await store.query<Item>('projects', { tenantId }, {
        where: [{ field: 'done', op: '=', value: true }, { field: 'status', op: '!=', value: 'closed' }], orderBy: { field: 'rank' },
      });
      expect(flags.items.map((i) => i.rank)).toEqual([11]);
      expect(flags.items[0]._etag).toEqual(expect.any(String));
    });

    it('keeps tenants apart: the same id in two tenants, queries see only their own tenant', async () => {
      const [a, b] = [tenant(), tenant()];
      await store.create('projects', { id: 'same', tenantId: a, type: 'project', owner: 'a' });
      await store.create('projects', { id: 'same', tenantId: b, type: 'project', owner: 'b' });
      await store.create('projects', { id: 'only-b', tenantId: b, type: 'project', owner: 'b' });
      expect((await store.read('projects', { tenantId: a }, 'same'))?.owner).toBe('a');
      expect((await store.read('projects', { tenantId: b }, 'same'))?.owner).toBe('b');
      expect(await store.read('projects', { tenantId: a }, 'only-b')).toBeUndefined();
      const pageA = await store.query('projects', { tenantId: a }, {});
      expect(pageA.items.map((d) => [d.id, d.owner])).toEqual([['same', 'a']]);
      await store.delete('projects', { tenantId: a }, 'same');
      expect((await store.read('projects', { tenantId: b }, 'same'))?.owner).toBe('b');
    });

    it('keeps projects apart in hierarchical containers and requires projectId there', async () => {
      const tenantId = tenant();
      await store.create('workflows', { id: 'wf-1', tenantId, projectId: 'p1', type: 'workflow' });
      await store.create('workflows', { id: 'wf-2', tenantId, projectId: 'p2', type: 'workflow' });
      expect(await store.read('workflows', { tenantId, projectId: 'p2' }, 'wf-1')).toBeUndefined();
      expect((await store.query('workflows', { tenantId, projectId: 'p1' }, {})).items.map((d) => d.id)).toEqual(['wf-1']);
      await expect(store.create('workflows', { id: 'wf-3', tenantId, type: 'workflow' })).rejects.toBeInstanceOf(StoreRequestError);
      await expect(store.read('workflows', { tenantId }, 'wf-1')).rejects.toThrow(/projectId is required/);
    });

    unless(gaps.sameIdAcrossProjects)('stores the same id in two projects of one tenant', async () => {
      const tenantId = tenant();
      await store.create('artifacts', { id: 'same', tenantId, projectId: 'p1', type: 'artifact', n: 1 });
      await store.create('artifacts', { id: 'same', tenantId, projectId: 'p2', type: 'artifact', n: 2 });
      expect((await store.read('artifacts', { tenantId, projectId: 'p1' }, 'same'))?.n).toBe(1);
      expect((await store.read('artifacts', { tenantId, projectId: 'p2' }, 'same'))?.n).toBe(2);
    });

    it('applies a batch within one partition', async () => {
      const tenantId = tenant();
      const key = { tenantId, projectId: 'p1' };
      const old = await store.create('usage', { id: 'old', ...key, type: 'usage', n: 1 });
      const gone = await store.create('usage', { id: 'gone', ...key, type: 'usage' });
      await store.batch('usage', key, [
        { op: 'create', document: { id: 'new', ...key, type: 'usage', n: 1 } },
        { op: 'replace', document: { ...old, n: 2 }, ifMatch: old._etag },
        { op: 'upsert', document: { id: 'up', ...key, type: 'usage' } },
        { op: 'delete', id: 'gone', ifMatch: gone._etag },
      ]);
      const ids = (await store.query('usage', key, { orderBy: { field: 'id' } })).items.map((d) => d.id);
      expect(ids).toEqual(['new', 'old', 'up']);
      expect((await store.read('usage', key, 'old'))?.n).toBe(2);
    });

    it('rejects a batch with a document outside its partition', async () => {
      const tenantId = tenant();
      await expect(store.batch('identity', { tenantId }, [{ op: 'create', document: { id: 'x', tenantId: tenant(), type: 'apiKey' } }]))
        .rejects.toBeInstanceOf(StoreRequestError);
    });

    unless(gaps.atomicBatch)('applies nothing of a batch in which one operation fails', async () => {
      const tenantId = tenant();
      const existing = await store.create('audit', { id: 'e1', tenantId, type: 'entry', n: 1 });
      await expect(
        store.batch('audit', { tenantId }, [
          { op: 'create', document: { id: 'e2', tenantId, type: 'entry' } },
          { op: 'replace', document: { ...existing, n: 2 } },
          { op: 'create', document: { id: 'e1', tenantId, type: 'entry' } },
        ]),
      ).rejects.toBeInstanceOf(StoreConflict);
      expect(await store.read('audit', { tenantId }, 'e2')).toBeUndefined();
      expect(await store.read('audit', { tenantId }, 'e1')).toEqual(existing);
    });

    it('reports itself healthy', async () => {
      expect(await store.check()).toMatchObject({ name: 'store', ok: true });
    });
  });
}
