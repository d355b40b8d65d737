import fs from 'node:fs';
import path from 'node:path';
import { eventually, fixtureApp, HostProcess, spawnHost, withKey } from './support/hostProcess';
import { getStatus, startOrchestration, waitForCompletion, waitForStatus } from './support/durableClient';

// Issue 9 §8: behaviours of the local host checked against what Azure does, each with siblings.
jest.setTimeout(180_000);
const WAIT = 120_000;

describe('the local host behaves as Azure does', () => {
  let host: HostProcess;
  beforeAll(async () => {
    host = await spawnHost(fixtureApp('app'));
  });
  afterAll(() => host?.stop());

  const webhooks = () => `${host.origin}/runtime/webhooks/durabletask`;
  const charges = (id: string) => {
    const file = path.join(host.dataDir, 'effects', 'charge.log');
    return fs.existsSync(file) ? fs.readFileSync(file, 'utf8').split('\n').filter((k) => k === id).length : 0;
  };

  describe('non-determinism on replay fails the instance, and the charge never runs twice', () => {
    const cases: [string, RegExp][] = [
      ['timerInserted', /scheduled an activity task with sequence number 0 named 'ChargeCard', but the current orchestration replay instead produced a CreateTimerOrchestratorAction/],
      ['activityRenamed', /named 'ChargeCard', but the current orchestration replay instead scheduled an activity task named 'RefundCard'/],
      ['activityReplaced', /named 'ChargeCard', but the current orchestration replay instead produced a CreateSubOrchestrationAction/],
      ['childRenamed', /scheduled a sub-orchestration task with sequence ID 1 and name 'Child'.*instead scheduled a sub-orchestration task with name Parent/],
      ['truncated', /scheduled a sub-orchestration task with sequence ID 1 and name 'Child'.*hasn't \(yet\?\) scheduled this task/],
      ['timerRemoved', /scheduled a timer task with sequence number 2 but the current replay execution hasn't \(yet\?\) scheduled this task/],
    ];
    it.each(cases)('%s', async (variant, expected) => {
      const started = await startOrchestration(host, 'ChangingOrchestrator', undefined, `nd-${variant}-${Date.now()}`);
      await waitForStatus(started.statusQueryGetUri, (s) => s.customStatus === 'waiting', WAIT);
      expect((await fetch(`${host.origin}/api/parity/variant/${started.id}/${variant}`, { method: 'POST' })).status).toBe(204);
      expect((await fetch(started.sendEventPostUri.replace('{eventName}', 'Continue'), { method: 'POST', body: '1' })).status).toBe(202);
      const done = await waitForCompletion(started.statusQueryGetUri, WAIT);
      expect(done.runtimeStatus).toBe('Failed');
      expect(String(done.output)).toMatch(/^Non-Deterministic workflow detected: /);
      expect(String(done.output)).toMatch(expected);
      expect(String(done.output)).toContain('Was a change made to the orchestrator code after this instance had already started running?');
      expect(charges(started.id)).toBe(1);
    });

    it('an unchanged replay completes (control)', async () => {
      const started = await startOrchestration(host, 'ChangingOrchestrator', undefined, `nd-same-${Date.now()}`);
      await waitForStatus(started.statusQueryGetUri, (s) => s.customStatus === 'waiting', WAIT);
      await fetch(started.sendEventPostUri.replace('{eventName}', 'Continue'), { method: 'POST', body: '1' });
      const done = await waitForCompletion(started.statusQueryGetUri, WAIT);
      expect(done).toMatchObject({ runtimeStatus: 'Completed', output: { charged: `charged ${started.id}`, child: 'Hello Zed!' } });
      expect(charges(started.id)).toBe(1);
    });
  });

  describe('failures reach the caller with their real message', () => {
    const run = async (name: string, input: unknown) => waitForCompletion((await startOrchestration(host, name, input)).statusQueryGetUri, WAIT);

    it("callSubOrchestrator('doesNotExist') gives the parent the extension's message", async () => {
      const caught = await run('CallsMissingChild', { name: 'doesNotExist' });
      expect((caught.output as { caught: string }).caught).toContain("The function 'doesNotExist' doesn't exist, is disabled, or is not an orchestrator function.");
      const uncaught = await run('CallsMissingChild', { name: 'doesNotExist', rethrow: true });
      expect(uncaught.runtimeStatus).toBe('Failed');
      expect(String(uncaught.output)).toContain("'doesNotExist' doesn't exist");
    });

    it('a sub-orchestration with an invalid instance id, or an activity name, fails with the reason', async () => {
      const badId = await run('CallsMissingChild', { name: 'Child', instanceId: 'child#1' });
      expect((badId.output as { caught: string }).caught).toContain('must not contain /, \\, #, ?, or control characters');
      const activity = await run('CallsMissingChild', { name: 'SayHello' });
      expect((activity.output as { caught: string }).caught).toContain("'SayHello' doesn't exist, is disabled, or is not an orchestrator function");
    });

    it.each([
      ['oops!', 'oops!'],
      [{ code: 42 }, '{"code":42}'],
      [7, '7'],
    ])('throw %p in an orchestrator ends it Failed with the value in its output', async (value, text) => {
      const done = await run('ThrowsValue', { value });
      expect(done.runtimeStatus).toBe('Failed');
      expect(String(done.output)).toContain(text);
      expect(String(done.output)).not.toContain('failed: false');
    });

    it('a child that throws a string gives the parent that text', async () => {
      const done = await run('CallsMissingChild', { name: 'ThrowsOops' });
      expect(done.runtimeStatus).toBe('Completed');
      expect((done.output as { caught: string }).caught).toContain('oops!');
      const uncaught = await run('CallsMissingChild', { name: 'ThrowsOops', rethrow: true });
      expect(String(uncaught.output)).toContain('oops!');
    });
  });

  describe('an activity returning bytes', () => {
    it.each([
      ['buffer', { value: 'aGVsbG8=', type: 'string' }],
      ['uint8array', { value: 'aGVsbG8=', type: 'string' }],
      ['nested', { value: { nested: { type: 'Buffer', data: [104, 101, 108, 108, 111] } }, type: 'object' }],
    ])('%s arrives as Azure gives it', async (kind, expected) => {
      const done = await waitForCompletion((await startOrchestration(host, 'BytesFromActivity', kind)).statusQueryGetUri, WAIT);
      expect(done.output).toEqual(expected);
    });
  });

  describe('instance ids follow Azure rule', () => {
    const start = (id: string) => fetch(`${webhooks()}/orchestrators/HelloSequence/${encodeURIComponent(id)}`, { method: 'POST', headers: withKey(host.systemKey) });
    it.each([['has#hash'], ['a?b'], ['back\\slash'], ['ctrl\u0001char'], ['tab\tid'], ['@entity'], ['x'.repeat(257)]])('refuses %p with a 400 problem', async (id) => {
      const res = await start(id);
      expect(res.status).toBe(400);
      expect(res.headers.get('content-type')).toContain('application/problem+json');
      expect((await getStatus(`${webhooks()}/instances/${encodeURIComponent(id)}?code=${host.systemKey}`)).code).toBe(404);
    });
    it('accepts 256 characters and ordinary punctuation', async () => {
      for (const id of ['y'.repeat(256), 'order:42-a.b_c~d', 'üñí']) expect([id, (await start(id)).status]).toEqual([id, 202]);
    });
    it('refuses a slash, which cannot even reach the instance route', async () => {
      expect([400, 404]).toContain((await start('a/b')).status);
    });
  });

  describe('purge by filter', () => {
    it('purges only terminal instances matching every filter, requires createdTimeFrom, and leaves running ones intact', async () => {
      // Instances of the earlier tests in this file were created before `from`.
      const from = new Date().toISOString();
      const justBefore = new Date(Date.parse(from) - 1).toISOString();
      const prefix = `purge-${Date.now()}`;
      const done = await Promise.all([0, 1].map((i) => startOrchestration(host, 'HelloSequence', undefined, `${prefix}-done-${i}`)));
      await Promise.all(done.map((s) => waitForCompletion(s.statusQueryGetUri, WAIT)));
      const running = await startOrchestration(host, 'ApprovalWithTimeout', { timeoutMs: 600_000 }, `${prefix}-running`);
      await waitForStatus(running.statusQueryGetUri, (s) => s.runtimeStatus === 'Running', WAIT);
      const purge = (query: string) => fetch(`${webhooks()}/instances?${query}`, { method: 'DELETE', headers: withKey(host.systemKey) });

      const noFrom = await purge('runtimeStatus=Completed');
      expect(noFrom.status).toBe(400);
      expect(((await noFrom.json()) as { detail: string }).detail).toContain("'createdTimeFrom'");
      expect((await purge('createdTimeFrom=yesterday')).status).toBe(400);

      // Running is not purgeable: nothing matches, nothing is deleted.
      const runningOnly = await purge(`createdTimeFrom=${from}&runtimeStatus=Running`);
      expect(runningOnly.status).toBe(404);
      for (const s of [...done, running]) expect((await getStatus(s.statusQueryGetUri)).code).not.toBe(404);

      // A status that matches none of them deletes none.
      expect((await purge(`createdTimeFrom=${from}&runtimeStatus=Failed`)).status).toBe(404);
      // A window that ends before they were created deletes none.
      expect((await purge(`createdTimeFrom=${justBefore}&createdTimeTo=${justBefore}`)).status).toBe(404);

      const purged = await purge(`createdTimeFrom=${from}&runtimeStatus=Running,Completed`);
      expect(purged.status).toBe(200);
      expect(((await purged.json()) as { instancesDeleted: number }).instancesDeleted).toBeGreaterThanOrEqual(2);
      for (const s of done) expect((await getStatus(s.statusQueryGetUri)).code).toBe(404);
      // The running one kept its state and still completes.
      await fetch(running.sendEventPostUri.replace('{eventName}', 'Approval'), { method: 'POST', body: '"ok"' });
      expect((await waitForCompletion(running.statusQueryGetUri, WAIT)).output).toEqual({ decision: 'ok' });
    });
  });

  describe('HTTP and timers', () => {
    it('joins a repeated query parameter with commas, as Azure does', async () => {
      const body = await (await fetch(`${host.origin}/api/q?tag=a&tag=b&other=1`)).json();
      expect(body).toEqual({ tag: 'a,b', all: ['a,b'], other: '1' });
      expect(await (await fetch(`${host.origin}/api/q?tag=&tag=x`)).json()).toMatchObject({ tag: ',x' });
    });

    it('starts with a timer whose schedule never occurs, and never fires it', async () => {
      const line = await eventually(async () => host.output.find((l) => l.includes('"timer scheduled"') && l.includes('neverFires')), WAIT, 'the neverFires timer line');
      expect(JSON.parse(line)).toMatchObject({ function: 'neverFires', next: 'never' });
      const status = await fetch(`${host.origin}/admin/host/status`, { headers: withKey(host.masterKey) });
      expect(status.status).toBe(200);
      expect(fs.existsSync(path.join(host.dataDir, 'effects', 'never.log'))).toBe(false);
    });
  });
});
