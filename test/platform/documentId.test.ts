import fc from 'fast-check';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { toDocumentId } from '../../shared/platform/store/documentId';
import { assertDocumentId } from '../../shared/platform/store/partition';
import { SqliteDocumentStore } from '../../shared/platform/store';

/** Any UTF-16 string, lone surrogates and `/ \ ? # ~ %` included. */
const anyString = fc.oneof(
  fc.string({ unit: fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c)), maxLength: 400 }),
  fc.string({ unit: fc.constantFrom('/', '\\', '?', '#', '~', '%', 'h', 'a', '0', '_', ' ', '%h'), maxLength: 300 }),
);
const parts = fc.array(anyString, { minLength: 1, maxLength: 4 });

describe('toDocumentId', () => {
  it('always gives a valid store id', () => {
    fc.assert(fc.property(parts, (p) => assertDocumentId(toDocumentId('step', ...p))), { numRuns: 2000 });
  });

  it('never maps two different part lists to the same id', () => {
    fc.assert(
      fc.property(parts, parts, (a, b) => {
        fc.pre(JSON.stringify(a) !== JSON.stringify(b));
        expect(toDocumentId('step', ...a)).not.toBe(toDocumentId('step', ...b));
      }),
      { numRuns: 2000 },
    );
    // Near misses the encoding must keep apart.
    const near: string[][] = [['a~b'], ['a', 'b'], ['a%007eb'], ['a', ''], ['a'], ['#'], ['%0023'], ['\ud800'], ['\ufffd']];
    expect(new Set(near.map((p) => toDocumentId('step', ...p))).size).toBe(near.length);
    const long = 'x'.repeat(300);
    expect(toDocumentId('step', long)).not.toBe(toDocumentId('step', `${long}y`));
  });

  it('keeps plain ids readable', () => {
    expect(toDocumentId('step', 'wf-0a1b', 'ItemService/GenerateService#2')).toBe('step~wf-0a1b~ItemService%002fGenerateService%00232');
    expect(toDocumentId('task', 'wf-1:Item:GenerateService-2~1')).toBe('task~wf-1:Item:GenerateService-2%007e1');
  });

  it('round-trips through the store for arbitrary parts (the step id that crashed a validation loop included)', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'docid-'));
    const store = SqliteDocumentStore.open(dir);
    try {
      const samples = [['wf-123', 'ItemService/GenerateService#2'], ...fc.sample(parts, 200)];
      for (const [i, p] of samples.entries()) {
        const id = toDocumentId('step', ...p);
        await store.upsert('workflows', { id, tenantId: 't', projectId: 'p', type: 'probe', n: i });
        expect(await store.read('workflows', { tenantId: 't', projectId: 'p' }, id)).toMatchObject({ n: i });
      }
    } finally {
      await store.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
