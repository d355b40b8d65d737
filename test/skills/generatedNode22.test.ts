import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { CaptureBroker } from '../../shared/skills/validate/captureBroker';
import { contractInput } from '../../shared/skills/validate/contractInput';
import { runContractTest } from '../../shared/skills/validate/contractTest';
import { buildGeneratedService, exampleBlueprint, startGeneratedService, tempRoot } from './generatedServiceSupport';

// Generated services on Node 22 (issue 10 §8: "generated tests pass on Node 20 and 22"). Node 22 and
// a node_modules overlay with better-sqlite3 built for it come from `scripts/node22.sh` (CI runs it);
// without them this suite is skipped, unless FACTORY_REQUIRE_NODE22=1 makes that a failure.

jest.setTimeout(600_000);

const CACHE = path.resolve(__dirname, '../../../.cache/node22');
const NODE22 = path.join(CACHE, 'pack/package/bin/node');
const OVERLAY = path.join(CACHE, 'overlay/node_modules');
const ready = fs.existsSync(path.join(CACHE, 'ready'));
const library = exampleBlueprint('library.yaml');

if (!ready && process.env.FACTORY_REQUIRE_NODE22 === '1') {
  throw new Error(`FACTORY_REQUIRE_NODE22=1 but ${CACHE} is not prepared: run scripts/node22.sh`);
}

/** Builds a module with the factory's compiler, then points its node_modules at the Node 22 overlay. */
function buildForNode22(module: string, root: string): string {
  const dir = buildGeneratedService(library, module, root);
  fs.unlinkSync(path.join(dir, 'node_modules'));
  fs.symlinkSync(OVERLAY, path.join(dir, 'node_modules'), 'dir');
  return dir;
}

(ready ? describe : describe.skip)('generated services on Node 22', () => {
  const root = tempRoot('generated-node22-');

  it('runs on Node 22', () => {
    const version = spawnSync(NODE22, ['--version'], { encoding: 'utf8' }).stdout.trim();
    expect(version).toMatch(/^v22\./);
  });

  it.each(library.spec.modules.map((module) => module.name))('%s: its generated tests pass with node --test on Node 22', (module) => {
    const dir = buildForNode22(module, root);
    const tests = fs.readdirSync(path.join(dir, 'dist/test')).filter((file) => file.endsWith('.test.js')).map((file) => path.join('dist/test', file));
    expect(tests.length).toBeGreaterThan(0);
    const run = spawnSync(NODE22, ['--test', ...tests], { cwd: dir, encoding: 'utf8', env: { PATH: process.env.PATH ?? '', NODE_ENV: 'test', NO_COLOR: '1' }, timeout: 300_000 });
    const summary = `${run.stdout}\n${run.stderr}`.split('\n').filter((line) => /^# (tests|pass|fail|cancelled)/.test(line));
    expect({ status: run.status, summary }).toEqual({ status: 0, summary: expect.arrayContaining(['# fail 0', '# cancelled 0']) });
    expect(summary.find((line) => line.startsWith('# pass'))).not.toBe('# pass 0');
  });

  it('LendingService started on Node 22 answers every operation of its contract and emits its declared event', async () => {
    const dir = fs.existsSync(path.join(root, 'lending-service')) ? path.join(root, 'lending-service') : buildForNode22('LendingService', root);
    const broker = new CaptureBroker();
    const brokerUrl = await broker.start();
    const module = library.spec.modules.find((candidate) => candidate.name === 'LendingService')!;
    const contract = contractInput(library, module, []);
    const service = await startGeneratedService(dir, { ...contract.env, BROKER_URL: brokerUrl, BROKER_KEY: broker.key, SQLITE_PATH: path.join(root, 'lending-node22.db'), RECEIVE_WAIT_MS: '500' }, NODE22);
    try {
      const run = await runContractTest(service.url, contract, broker);
      expect(run.error).toBeUndefined();
      expect(run.operations.length).toBeGreaterThan(0);
      expect(run.operations.filter((check) => check.problems.length > 0)).toEqual([]);
      expect(run.events.length).toBeGreaterThan(0);
      expect(run.events.filter((check) => check.problems.length > 0)).toEqual([]);
    } finally {
      expect(await service.stop()).toBe(0);
      await broker.stop();
    }
  });
});
