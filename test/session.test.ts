import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { ADMIN_KEY, FactoryApp, startFactoryApp } from './support/factoryApp';
import { repoRoot } from './support/hostProcess';

const run = promisify(execFile);

/** The scripted session of the README runs against the factory on the local host. */
describe('README session (scripts/session.js)', () => {
  let app: FactoryApp;
  beforeAll(async () => {
    app = await startFactoryApp();
  });
  afterAll(() => app?.stop());

  const session = (...args: string[]) =>
    run(process.execPath, [path.join(repoRoot, 'scripts/session.js'), '--base', app.host.origin, '--admin-key', ADMIN_KEY, '--quiet', ...args], { timeout: 240000 });

  it('approves: the workflow completes and the audit verifies', async () => {
    await expect(session('--tenant', 'session-approve')).resolves.toBeDefined();
  });

  it('rejects: the workflow ends rejected with nothing committed', async () => {
    await expect(session('--tenant', 'session-reject', '--reject')).resolves.toBeDefined();
  });
});
