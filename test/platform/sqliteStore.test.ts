import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { SqliteDocumentStore } from '../../shared/platform/store';
import { describeDocumentStoreContract } from './store.contract';

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'store-sqlite-'));
afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

describeDocumentStoreContract('SQLite', async () => SqliteDocumentStore.open(dataDir));

describe('SqliteDocumentStore', () => {
  it('keeps documents across reopening the file', async () => {
    const first = SqliteDocumentStore.open(dataDir, 'reopen.sqlite');
    const written = await first.create('tenants', { id: 'acme', tenantId: 'acme', type: 'tenant' });
    await first.close();
    const second = SqliteDocumentStore.open(dataDir, 'reopen.sqlite');
    expect(await second.read('tenants', { tenantId: 'acme' }, 'acme')).toEqual(written);
    await second.close();
  });

  it('refuses a continuation token from another query', async () => {
    const store = SqliteDocumentStore.open(dataDir, 'tokens.sqlite');
    for (const id of ['a', 'b', 'c']) await store.create('projects', { id, tenantId: 't', type: 'project' });
    const page = await store.query('projects', { tenantId: 't' }, { limit: 1 });
    await expect(store.query('projects', { tenantId: 't' }, { limit: 1, continuation: page.continuation, orderBy: { field: 'type' } })).rejects.toThrow(/continuation token/);
    await expect(store.query('projects', { tenantId: 't' }, { continuation: 'garbage' })).rejects.toThrow(/continuation token/);
    await store.close();
  });
});
