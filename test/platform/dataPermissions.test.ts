import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { FactoryApp, startFactoryApp } from '../support/factoryApp';
import { eventually } from '../support/hostProcess';

/** Every file and folder under `root` that the group or others may read, write or enter. */
function openToOthers(root: string, skip: (name: string) => boolean): string[] {
  const found: string[] = [];
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (skip(path.relative(root, full))) continue;
      if ((fs.statSync(full).mode & 0o077) !== 0) found.push(path.relative(root, full));
      if (entry.isDirectory()) walk(full);
    }
  };
  walk(root);
  return found;
}

describe('a data dir that already exists and is open to others (0755)', () => {
  let app: FactoryApp;
  let dir: string;
  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'factory-open-'));
    fs.chmodSync(dir, 0o755);
    fs.writeFileSync(path.join(dir, 'host.sqlite'), '', { mode: 0o644 }); // left by an older version
    fs.chmodSync(path.join(dir, 'host.sqlite'), 0o644);
    app = await startFactoryApp({ dataDir: dir });
  });
  afterAll(() => app?.stop());

  it('gets only owner-only files and folders: the host database, the store, blobs, keys, checkpoints', async () => {
    expect((await app.call('POST', 'tenants', { body: { tenantId: 'open', name: 'Open', edition: 'pro' } })).status).toBe(201);
    expect((await app.call('POST', 'tenants/open/projects', { body: { projectId: 'p', name: 'P' } })).status).toBe(201);
    expect((await app.call('POST', 'tenants/open/projects/p/artifacts', { body: { kind: 'other', name: 'n.md', content: 'x' } })).status).toBe(201);
    await eventually(async () => (fs.existsSync(path.join(dir, 'audit-checkpoints')) ? true : undefined), 30000, 'the audit witness');
    for (const name of ['host.sqlite', 'host.sqlite-wal', 'store.sqlite', 'artifacts']) expect(fs.existsSync(path.join(dir, name))).toBe(true);
    expect(openToOthers(dir, () => false)).toEqual([]);
  });
});

describe("the factory's data files", () => {
  let app: FactoryApp;
  beforeAll(async () => {
    app = await startFactoryApp();
  });
  afterAll(() => app?.stop());

  it('are owner-only: the store, artifact blobs, the audit key and checkpoints', async () => {
    expect((await app.call('POST', 'tenants', { body: { tenantId: 'private', name: 'Private', edition: 'pro' } })).status).toBe(201);
    expect((await app.call('POST', 'tenants/private/projects', { body: { projectId: 'p', name: 'P' } })).status).toBe(201);
    const stored = await app.call('POST', 'tenants/private/projects/p/artifacts', { body: { kind: 'other', name: 'notes.md', content: 'secret plans' } });
    expect(stored.status).toBe(201);
    const dir = app.host.dataDir;
    await eventually(async () => (fs.existsSync(path.join(dir, 'audit-checkpoints')) ? true : undefined), 30000, 'the audit witness');
    for (const name of ['store.sqlite', 'audit.key', 'artifacts', 'audit-checkpoints']) expect(fs.existsSync(path.join(dir, name))).toBe(true);
    // The host's own files (its dir, keys, durable state) are the host's to guard; the factory's are checked here.
    const factoryPaths = /^(store\.sqlite.*|audit\.key|artifacts|audit-checkpoints)(\/|$)/;
    expect(openToOthers(dir, (relative) => !factoryPaths.test(relative))).toEqual([]);
  });
});
