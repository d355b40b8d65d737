import fs from 'node:fs';
import path from 'node:path';
import { eventually, fixtureApp, HostProcess, repoRoot, spawnHost, tempDataDir } from './support/hostProcess';
import { startOrchestration } from './support/durableClient';

/**
 * `fsync` durability against a simulated power loss: the host runs with test/support/powerLossProbe,
 * which keeps, after each WAL fsync, the database as the disk is known to hold it. The host is killed
 * with -9 while events are being raised; a second host starts on that image (not on the files the
 * killed process left in the page cache), and every step and event acknowledged before the kill must
 * be there.
 */
const SYSTEM_KEY = 'durability-test-system-key-0123456789';
const INSTANCES = 8;
const ROUNDS = 6;
const probe = path.join(repoRoot, 'dist', 'test', 'support', 'powerLossProbe.js');
const headers = { 'x-functions-key': SYSTEM_KEY };

interface Observed {
  /** Event values whose raise was answered 202, by instance. */
  events: Map<string, string[]>;
  /** The most steps the status API reported, by instance. */
  steps: Map<string, number>;
}

async function raise(host: HostProcess, id: string, value: string, observed: Observed): Promise<void> {
  const res = await fetch(`${host.origin}/runtime/webhooks/durabletask/instances/${id}/raiseEvent/Item`, {
    method: 'POST',
    headers: { ...headers, 'content-type': 'application/json' },
    body: JSON.stringify(value),
  });
  if (res.status === 202) observed.events.get(id)!.push(value);
}

async function status(host: HostProcess, id: string, history = false) {
  const res = await fetch(`${host.origin}/runtime/webhooks/durabletask/instances/${id}${history ? '?showHistory=true&showHistoryOutput=true' : ''}`, { headers });
  return (await res.json()) as { runtimeStatus: string; customStatus: { steps?: number } | null; history?: { EventType: string; Input?: unknown }[] };
}

/** Raises events round by round and records what was acknowledged, then kills the host mid-round. */
async function runUntilKilled(host: HostProcess, ids: string[]): Promise<Observed> {
  const observed: Observed = { events: new Map(ids.map((id) => [id, []])), steps: new Map(ids.map((id) => [id, 0])) };
  for (let round = 0; round < ROUNDS; round++) {
    await Promise.all(ids.map((id) => raise(host, id, `${id}#${round}`, observed)));
    for (const id of ids) observed.steps.set(id, Math.max(observed.steps.get(id)!, (await status(host, id)).customStatus?.steps ?? 0));
  }
  // A last round in flight when the power goes.
  const inFlight = Promise.all(ids.map((id) => raise(host, id, `${id}#last`, observed).catch(() => undefined)));
  await new Promise((r) => setTimeout(r, 5));
  await host.kill9();
  await inFlight;
  return observed;
}

/** A data dir holding only what the last completed fsync made durable. */
function afterPowerLoss(imageDir: string): string | undefined {
  const pointer = path.join(imageDir, 'current');
  if (!fs.existsSync(pointer)) return undefined;
  const generation = path.join(imageDir, fs.readFileSync(pointer, 'utf8'));
  const dataDir = tempDataDir('factory-power-after-');
  for (const file of ['host.sqlite', 'host.sqlite-wal']) fs.copyFileSync(path.join(generation, file), path.join(dataDir, file));
  return dataDir;
}

async function startCollecting(durability: string, imageDir: string): Promise<{ host: HostProcess; ids: string[] }> {
  const env = { FACTORY_HOST_DURABILITY: durability, FACTORY_HOST_SYSTEM_KEY: SYSTEM_KEY, POWER_LOSS_IMAGE: imageDir, NODE_OPTIONS: `--require ${probe}` };
  const host = await spawnHost(fixtureApp('app'), { dataDir: tempDataDir('factory-power-'), env });
  const ids = Array.from({ length: INSTANCES }, (_, i) => `collect-${durability}-${i}`);
  for (const id of ids) await startOrchestration(host, 'Collect', undefined, id);
  return { host, ids };
}

describe('durability fsync: a power loss keeps every acknowledged step', () => {
  let host: HostProcess | undefined;
  afterEach(async () => {
    await host?.stop();
    host = undefined;
  });

  it('restarts from what the disk held with every acknowledged event and reported step', async () => {
    const imageDir = tempDataDir('factory-power-image-');
    const started = await startCollecting('fsync', imageDir);
    host = started.host;
    const observed = await runUntilKilled(started.host, started.ids);
    const acknowledged = [...observed.events.values()].flat();
    expect(acknowledged.length).toBeGreaterThanOrEqual(INSTANCES * ROUNDS);

    const dataDir = afterPowerLoss(imageDir);
    expect(dataDir).toBeDefined();
    host = await spawnHost(fixtureApp('app'), { dataDir, env: { FACTORY_HOST_SYSTEM_KEY: SYSTEM_KEY } });
    for (const id of started.ids) {
      const expected = observed.events.get(id)!;
      const final = await eventually(async () => {
        const s = await status(host!, id, true);
        const raised = (s.history ?? []).filter((e) => e.EventType === 'EventRaised').map((e) => e.Input as string);
        return expected.every((v) => raised.includes(v)) ? s : undefined;
      }, 60_000, `every acknowledged event of ${id}`);
      const completed = (final.history ?? []).filter((e) => e.EventType === 'TaskCompleted').length;
      expect([id, completed >= observed.steps.get(id)!]).toEqual([id, true]);
      expect(final.runtimeStatus).toBe('Running');
    }
  }, 180_000);

  it('in process mode makes no such promise: nothing was synced for a power loss to keep', async () => {
    const imageDir = tempDataDir('factory-power-image-');
    const started = await startCollecting('process', imageDir);
    host = started.host;
    const observed = await runUntilKilled(started.host, started.ids);
    expect([...observed.events.values()].flat().length).toBeGreaterThanOrEqual(INSTANCES * ROUNDS);
    expect(afterPowerLoss(imageDir)).toBeUndefined();
  }, 180_000);
});
