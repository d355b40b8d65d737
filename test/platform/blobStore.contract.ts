import { createHash, randomBytes } from 'node:crypto';
import type { BlobStore } from '../../shared/platform/ports';

/** What each adapter's test provides to the shared blob store contract. */
export interface BlobStoreFixture {
  store: BlobStore;
  /** How many content objects the backing storage holds (sidecars not counted). */
  countObjects(): Promise<number>;
}

const sha256 = (content: Buffer) => createHash('sha256').update(content).digest('hex');

/**
 * The behaviour every BlobStore adapter shares. `fixture` is called once before the cases;
 * each case uses fresh random content, so cases do not depend on each other.
 */
export function blobStoreContract(adapter: string, fixture: () => BlobStoreFixture): void {
  describe(`BlobStore contract: ${adapter}`, () => {
    it('returns the content it was given, addressed by its sha256', async () => {
      const { store } = fixture();
      const content = Buffer.from(`# Design ${randomBytes(8).toString('hex')}\n`, 'utf8');
      const ref = await store.put(content, 'text/markdown');
      expect(ref).toEqual({ contentHash: sha256(content), size: content.length, contentType: 'text/markdown' });
      expect((await store.get(ref.contentHash))?.equals(content)).toBe(true);
    });

    it('stores the same content once and returns the same ref', async () => {
      const { store, countObjects } = fixture();
      const before = await countObjects();
      const content = randomBytes(64);
      const first = await store.put(content, 'application/octet-stream');
      const second = await store.put(Buffer.from(content), 'application/octet-stream');
      expect(second).toEqual(first);
      expect(await countObjects()).toBe(before + 1);
    });

    it('tells whether content exists', async () => {
      const { store } = fixture();
      const content = randomBytes(32);
      expect(await store.exists(sha256(content))).toBe(false);
      const ref = await store.put(content, 'application/octet-stream');
      expect(await store.exists(ref.contentHash)).toBe(true);
    });

    it('answers undefined for content it does not hold, and for what is not a hash', async () => {
      const { store } = fixture();
      expect(await store.get(sha256(randomBytes(16)))).toBeUndefined();
      expect(await store.get('../../etc/passwd')).toBeUndefined();
      expect(await store.exists('not-a-hash')).toBe(false);
    });

    it('keeps binary content byte for byte', async () => {
      const { store } = fixture();
      const content = Buffer.concat([Buffer.from(Array.from({ length: 256 }, (_, i) => i)), randomBytes(300 * 1024)]);
      const ref = await store.put(content, 'application/zip');
      expect(ref.size).toBe(content.length);
      const back = await store.get(ref.contentHash);
      expect(back?.length).toBe(content.length);
      expect(back?.equals(content)).toBe(true);
    });

    it('stores empty content', async () => {
      const { store } = fixture();
      const ref = await store.put(Buffer.alloc(0), 'text/plain');
      expect(ref.size).toBe(0);
      expect((await store.get(ref.contentHash))?.length).toBe(0);
    });

    it('reports itself healthy', async () => {
      const { store } = fixture();
      expect(await store.check()).toMatchObject({ name: 'blobs', ok: true });
    });
  });
}
