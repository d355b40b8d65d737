import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { FileBlobStore } from '../../shared/platform/blobs';
import { blobStoreContract } from './blobStore.contract';

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'factory-blobs-'));
const store = new FileBlobStore(dataDir);

function contentFiles(): string[] {
  const root = path.join(dataDir, 'artifacts');
  if (!fs.existsSync(root)) return [];
  return fs.readdirSync(root, { recursive: true, encoding: 'utf8' }).filter((name) => /^[0-9a-f]{64}$/.test(path.basename(name)));
}

afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

blobStoreContract('files', () => ({ store, countObjects: async () => contentFiles().length }));

describe('FileBlobStore layout', () => {
  it('keeps content under artifacts/<hash[0..2]>/<hash> with a content type sidecar and no leftovers', async () => {
    const ref = await store.put(Buffer.from('layout check'), 'text/plain');
    const file = path.join(dataDir, 'artifacts', ref.contentHash.slice(0, 2), ref.contentHash);
    expect(fs.readFileSync(file, 'utf8')).toBe('layout check');
    expect(JSON.parse(fs.readFileSync(`${file}.json`, 'utf8'))).toMatchObject({ contentType: 'text/plain' });
    expect(fs.readdirSync(path.dirname(file)).filter((name) => name.endsWith('.tmp'))).toEqual([]);
  });

  it('reads content written by another instance over the same data dir', async () => {
    const ref = await store.put(Buffer.from('shared across restarts'), 'text/plain');
    expect((await new FileBlobStore(dataDir).get(ref.contentHash))?.toString()).toBe('shared across restarts');
  });
});
