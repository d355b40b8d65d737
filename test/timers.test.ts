import Database from 'better-sqlite3';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { RegisteredFunction } from '../local/core/types';
import { openDatabase } from '../local/db';
import { HostLogger } from '../local/logger';
import type { HostContext } from '../local/subsystem';
import { TimerTriggers } from '../local/timers/timerTriggers';
import { eventually, fixtureApp, HostProcess, repoRoot, spawnHost, tempDataDir } from './support/hostProcess';

// Host tests wait on conditions with their own deadlines; this only bounds a hung test on a loaded machine.
jest.setTimeout(180_000);

interface Run {
  isPastDue: boolean;
  scheduleStatus: { last: string; next: string; lastUpdated: string } | null;
}
interface TimerLog {
  runs: Record<string, Run[] | undefined>;
  maxActive: number;
}

/** The fixture app registers its timers only when asked to. */
const env = { FIXTURE_TIMERS: '1' };

async function timerLog(host: HostProcess): Promise<TimerLog> {
  const res = await fetch(`${host.origin}/api/timers/log`);
  if (res.status !== 200) throw new Error(`GET /api/timers/log answered ${res.status}`);
  return (await res.json()) as TimerLog;
}

/** Waits until `name` has run at least `count` times. */
function runsOf(host: HostProcess, name: string, count: number): Promise<Run[]> {
  return eventually(
    async () => {
      const runs = (await timerLog(host)).runs[name] ?? [];
      return runs.length >= count ? runs : undefined;
    },
    20000,
    `${count} runs of ${name}`,
  );
}

describe('timer triggers on the local host', () => {
  let host: HostProcess;
  beforeAll(async () => {
    host = await spawnHost(fixtureApp('app'), { env });
  });
  afterAll(() => host?.stop());

  it('fires a */1 schedule repeatedly with a Timer whose scheduleStatus is set', async () => {
    const runs = await runsOf(host, 'timerEverySecond', 3);
    for (const run of runs) {
      expect(run.isPastDue).toBe(false);
      const { last, next, lastUpdated } = run.scheduleStatus!;
      expect(new Date(next).getTime()).toBeGreaterThan(new Date(last).getTime());
      expect(Number.isNaN(new Date(lastUpdated).getTime())).toBe(false);
    }
    const lasts = runs.map((r) => new Date(r.scheduleStatus!.last).getTime());
    expect(new Set(lasts).size).toBe(lasts.length);
    expect(lasts.every((t) => t % 1000 === 0)).toBe(true);
  });

  it('runs a runOnStartup timer once at start', async () => {
    const [run] = await runsOf(host, 'timerOnStartup', 1);
    expect(run.isPastDue).toBe(false);
    expect(run.scheduleStatus!.next).toMatch(/-01-01T00:00:00\.000Z$/);
    await runsOf(host, 'timerEverySecond', 5);
    expect((await timerLog(host)).runs.timerOnStartup).toHaveLength(1);
    expect((await timerLog(host)).runs.timerYearly).toBeUndefined();
  });

  it('keeps firing a timer whose handler throws, and logs the failures', async () => {
    await runsOf(host, 'timerThrows', 3);
    const failures = host.output.filter((line) => line.includes('"function":"timerThrows"') && line.includes('"outcome":"Failed"'));
    expect(failures.length).toBeGreaterThanOrEqual(2);
    expect(failures[0]).toContain('timer boom');
  });

  it('runs one invocation of a timer function at a time', async () => {
    await runsOf(host, 'timerSlow', 2);
    expect((await timerLog(host)).maxActive).toBe(1);
    expect(host.output.some((line) => line.includes('timer occurrence skipped') && line.includes('timerSlow'))).toBe(true);
  });
});

describe('the timer schedule monitor', () => {
  it('runs an occurrence missed while the host was down once at start, past due', async () => {
    const dataDir = tempDataDir();
    const first = await spawnHost(fixtureApp('app'), { dataDir, env });
    await first.stop();

    // Pretend the host last ran the yearly timer on 1 January 2000 and was down since.
    const db = new Database(path.join(dataDir, 'host.sqlite'));
    const row = db.prepare('SELECT next FROM timer_status WHERE function_name = ?').get('timerYearly') as { next: string };
    expect(row.next).toMatch(/-01-01T00:00:00\.000Z$/);
    db.prepare('UPDATE timer_status SET last = ?, next = ?, last_updated = ? WHERE function_name = ?').run(
      '2000-01-01T00:00:00.000Z',
      '2001-01-01T00:00:00.000Z',
      '2000-01-01T00:00:05.000Z',
      'timerYearly',
    );
    db.close();

    const second = await spawnHost(fixtureApp('app'), { dataDir, env });
    try {
      const [run] = await runsOf(second, 'timerYearly', 1);
      expect(run.isPastDue).toBe(true);
      expect(run.scheduleStatus!.last).toBe('2001-01-01T00:00:00.000Z');
      expect(new Date(run.scheduleStatus!.next).getTime()).toBeGreaterThan(Date.now());
      const [startup] = await runsOf(second, 'timerOnStartup', 1);
      expect(startup.isPastDue).toBe(false);
    } finally {
      await second.stop();
    }

    const after = new Database(path.join(dataDir, 'host.sqlite'), { readonly: true });
    const saved = after.prepare('SELECT last, next FROM timer_status WHERE function_name = ?').get('timerYearly') as { last: string; next: string };
    after.close();
    expect(saved.last).toBe('2001-01-01T00:00:00.000Z');
    expect(new Date(saved.next).getTime()).toBeGreaterThan(Date.now());
    expect(scheduledLine(second, 'timerYearly')).toMatchObject({ pastDue: true, monitor: true });

    // Caught up: the next start finds nothing past due.
    const third = await spawnHost(fixtureApp('app'), { dataDir, env });
    await third.stop();
    expect(scheduledLine(third, 'timerYearly')).toMatchObject({ monitor: true, next: saved.next });
    expect(scheduledLine(third, 'timerYearly').pastDue).toBeUndefined();
  });
});

/** The "timer scheduled" line the host logged at start for `name`. */
function scheduledLine(host: HostProcess, name: string): Record<string, unknown> {
  const line = host.output.find((l) => l.includes('"message":"timer scheduled"') && l.includes(`"function":"${name}"`));
  if (!line) throw new Error(`no "timer scheduled" line for ${name}`);
  return JSON.parse(line) as Record<string, unknown>;
}

describe('a bad timer schedule', () => {
  it('keeps the host from starting, naming the function and the expression', async () => {
    const appDir = fs.mkdtempSync(path.join(os.tmpdir(), 'timer-app-'));
    fs.writeFileSync(path.join(appDir, 'package.json'), JSON.stringify({ main: 'index.js' }));
    const functions = JSON.stringify(path.join(repoRoot, 'node_modules', '@azure', 'functions'));
    fs.writeFileSync(
      path.join(appDir, 'index.js'),
      `const { app } = require(${functions});\napp.timer('badTimer', { schedule: '0 0 25 * * *', handler: () => {} });\n`,
    );
    await expect(spawnHost(appDir)).rejects.toThrow('Timer function "badTimer" has an invalid schedule "0 0 25 * * *"');
  });
});

describe('TimerTriggers.stop()', () => {
  it('clears the timers and waits for the running invocation', async () => {
    const db = openDatabase(tempDataDir());
    const fn = { metadata: { name: 'tick', bindings: {} }, triggerName: 't', trigger: { type: 'timerTrigger', schedule: '*/1 * * * * *' } } as unknown as RegisteredFunction;
    let started = 0;
    let finished = 0;
    const invoker = {
      invoke: async () => {
        started++;
        await new Promise((resolve) => setTimeout(resolve, 300));
        finished++;
      },
    };
    const timers = new TimerTriggers();
    timers.migrate(db);
    timers.start({ registry: { byTrigger: () => [fn] }, invoker, db, logger: new HostLogger({ invocations: false, level: 'warn' }) } as unknown as HostContext);
    await eventually(async () => (started > 0 ? true : undefined), 30_000, 'a first run');
    await timers.stop();
    expect(finished).toBe(started);
    const status = db.prepare('SELECT last FROM timer_status WHERE function_name = ?').get('tick') as { last: string };
    expect(status.last).toMatch(/T.*\.000Z$/);
    db.close();
  });
});
