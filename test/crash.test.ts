import fs from 'node:fs';
import path from 'node:path';
import { fixtureApp, HostProcess, spawnHost, tempDataDir } from './support/hostProcess';
import { startOrchestration, waitForCompletion } from './support/durableClient';

const WORKFLOWS = 6;
const KILLS = 4;

/** The number of times each effect key was recorded by an activity. */
function effectCounts(dataDir: string): Map<string, number> {
  const counts = new Map<string, number>();
  const file = path.join(dataDir, 'effects', 'slow-step.log');
  if (!fs.existsSync(file)) return counts;
  for (const key of fs.readFileSync(file, 'utf8').split('\n').filter(Boolean)) counts.set(key, (counts.get(key) ?? 0) + 1);
  return counts;
}

describe.each(['process', 'fsync'])('crash safety: kill -9 during running workflows (durability %s)', (durability) => {
  const dataDir = tempDataDir('factory-crash-');
  const env = { FACTORY_HOST_DURABILITY: durability };
  let host: HostProcess;
  afterAll(() => host?.stop());

  it('completes every workflow after repeated kill -9, applying each orchestrator step once', async () => {
    host = await spawnHost(fixtureApp('app'), { dataDir, env });
    const ids = Array.from({ length: WORKFLOWS }, (_, i) => `crash-${i}`);
    for (const id of ids) await startOrchestration(host, 'CrashWorkflow', undefined, id);

    for (let k = 0; k < KILLS; k++) {
      await new Promise((r) => setTimeout(r, 40 + Math.floor(Math.random() * 160)));
      await host.kill9();
      host = await spawnHost(fixtureApp('app'), { dataDir, env });
    }

    const statusUri = (id: string) => `${host.origin}/runtime/webhooks/durabletask/instances/${id}?showHistory=true&code=${host.systemKey}`;
    for (const id of ids) {
      const done = await waitForCompletion(statusUri(id), 240_000);
      expect(done.runtimeStatus).toBe('Completed');
      expect(done.output).toEqual({ a: `${id}#a`, fan: [0, 1, 2, 3].map((i) => `${id}#fan${i}`), child: `Hello ${id}-child!`, b: `${id}#b` });
      // Orchestrator state moved exactly once: one scheduling and one completion per step.
      const history = done.history ?? [];
      const count = (type: string) => history.filter((e) => e.EventType === type).length;
      expect(count('TaskCompleted')).toBe(6);
      expect(count('SubOrchestrationInstanceCompleted')).toBe(1);
      expect(count('TimerFired')).toBe(1);
      expect(count('ExecutionCompleted')).toBe(1);
    }

    // Activities are at-least-once (as in Azure): every effect happened, and only an activity
    // that was running when the host died may have run again.
    const counts = effectCounts(dataDir);
    const expected = ids.flatMap((id) => [`${id}#a`, `${id}#b`, ...[0, 1, 2, 3].map((i) => `${id}#fan${i}`)]);
    for (const key of expected) expect(counts.get(key) ?? 0).toBeGreaterThanOrEqual(1);
    const repeats = [...counts.values()].reduce((sum, n) => sum + n - 1, 0);
    expect(repeats).toBeLessThanOrEqual(KILLS * 8);
  }, 600_000); // waits on conditions with their own deadlines; this only bounds a hung run
});
