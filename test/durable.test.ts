import fs from 'node:fs';
import path from 'node:path';
import { fixtureApp, HostProcess, spawnHost, withKey } from './support/hostProcess';
import { getStatus, startOrchestration, waitForCompletion, waitForStatus } from './support/durableClient';

// Host tests wait on conditions with their own deadlines; this only bounds a hung test on a loaded machine.
jest.setTimeout(180_000);

describe('durable orchestrations on the local host', () => {
  let host: HostProcess;
  beforeAll(async () => {
    host = await spawnHost(fixtureApp('app'));
  });
  afterAll(() => host?.stop());

  const client = (id: string, op: string, arg = '', init?: RequestInit) => fetch(`${host.origin}/api/client/${id}/${op}${arg ? `/${arg}` : ''}`, { method: 'POST', ...init });

  it('runs a function chain and reports it through the status URL the client handed out', async () => {
    const started = await startOrchestration(host, 'HelloSequence');
    expect(started.statusQueryGetUri).toContain(host.origin);
    const done = await waitForCompletion(started.statusQueryGetUri);
    expect(done).toMatchObject({ name: 'HelloSequence', runtimeStatus: 'Completed', output: ['Hello Tokyo!', 'Hello Seattle!', 'Hello London!'] });
    const viaClient = (await (await fetch(`${host.origin}/api/client/${started.id}/status`)).json()) as { history: { EventType: string; FunctionName: string; Result: string }[] };
    const completedSteps = viaClient.history.filter((e: { EventType: string }) => e.EventType === 'TaskCompleted');
    expect(completedSteps.map((e: { FunctionName: string; Result: string }) => [e.FunctionName, e.Result])).toEqual([
      ['SayHello', 'Hello Tokyo!'],
      ['SayHello', 'Hello Seattle!'],
      ['SayHello', 'Hello London!'],
    ]);
  });

  it('fans out and in', async () => {
    const started = await startOrchestration(host, 'FanOutFanIn', { count: 40 });
    expect((await waitForCompletion(started.statusQueryGetUri)).output).toBe(40);
  });

  it('retries an activity with back-off until it succeeds', async () => {
    const started = await startOrchestration(host, 'RetryActivity', { key: 'r1', failures: 2, maxAttempts: 4 });
    expect((await waitForCompletion(started.statusQueryGetUri)).output).toEqual({ attempts: 3 });
  });

  it('surfaces the last failure after the final retry attempt', async () => {
    const started = await startOrchestration(host, 'RetryActivity', { key: 'r2', failures: 10, maxAttempts: 3 });
    const done = await waitForCompletion(started.statusQueryGetUri);
    expect(done.runtimeStatus).toBe('Completed');
    expect((done.output as { gaveUp: string }).gaveUp).toContain('flaky failure 3');
  });

  it('lets an orchestrator catch a failed activity', async () => {
    const started = await startOrchestration(host, 'CatchActivityFailure');
    const done = await waitForCompletion(started.statusQueryGetUri);
    expect((done.output as { caught: string }).caught).toContain('cannot do the thing');
  });

  it('marks an instance Failed with the message of an unhandled failure', async () => {
    const started = await startOrchestration(host, 'UnhandledFailure');
    const done = await waitForCompletion(started.statusQueryGetUri);
    expect(done.runtimeStatus).toBe('Failed');
    expect(String(done.output)).toContain('cannot do anything');
    expect((await getStatus(`${started.statusQueryGetUri}&returnInternalServerErrorOnFailure=true`)).code).toBe(500);
  });

  it('runs sub-orchestrations, in sequence, fanned out, and with retry', async () => {
    const started = await startOrchestration(host, 'Parent');
    const done = await waitForCompletion(started.statusQueryGetUri);
    expect(done.runtimeStatus).toBe('Completed');
    const output = done.output as { first: string; fanned: string[]; failure: string };
    expect(output.first).toBe('Hello Amsterdam!');
    expect(output.fanned).toEqual(['Hello Oslo!', 'Hello Rome!']);
    expect(output.failure).toContain('child exploded');
    const child = await getStatus(started.statusQueryGetUri.replace(started.id, `${started.id}-oslo`));
    expect(child.body).toMatchObject({ name: 'Child', runtimeStatus: 'Completed', output: 'Hello Oslo!' });
  });

  it('delivers an external event before a timer and cancels the timer', async () => {
    const started = await startOrchestration(host, 'ApprovalWithTimeout', { timeoutMs: 60000 });
    await waitForStatus(started.statusQueryGetUri, (s) => (s.customStatus as { stage?: string })?.stage === 'waiting');
    const raised = await client(started.id, 'raise', 'Approval', { body: JSON.stringify({ approved: true }) });
    expect(raised.status).toBe(202);
    const done = await waitForCompletion(started.statusQueryGetUri);
    expect(done.output).toEqual({ decision: { approved: true } });
    expect(done.customStatus).toEqual({ stage: 'decided' });
  });

  it('fires a durable timer when no event comes', async () => {
    const started = await startOrchestration(host, 'ApprovalWithTimeout', { timeoutMs: 200 });
    const done = await waitForCompletion(started.statusQueryGetUri);
    expect(done.output).toEqual({ decision: 'timeout' });
  });

  it('buffers events raised before the orchestrator waits for them', async () => {
    const started = await startOrchestration(host, 'EventBeforeWait');
    await client(started.id, 'raise', 'Go', { body: JSON.stringify(1) });
    await client(started.id, 'raise', 'Go', { body: JSON.stringify(2) });
    const done = await waitForCompletion(started.statusQueryGetUri);
    expect(done.output).toEqual({ data: 1, again: 2 });
  });

  it('continues as new until done', async () => {
    const started = await startOrchestration(host, 'Counter', 0);
    const done = await waitForCompletion(started.statusQueryGetUri);
    expect(done).toMatchObject({ runtimeStatus: 'Completed', output: 5, input: 5 });
  });

  it('terminates a running instance', async () => {
    const started = await startOrchestration(host, 'ApprovalWithTimeout', { timeoutMs: 60000 });
    await waitForStatus(started.statusQueryGetUri, (s) => s.runtimeStatus === 'Running');
    expect((await client(started.id, 'terminate', 'no longer needed')).status).toBe(202);
    const done = await waitForCompletion(started.statusQueryGetUri);
    expect(done).toMatchObject({ runtimeStatus: 'Terminated', output: 'no longer needed' });
    const again = await fetch(started.sendEventPostUri.replace('{eventName}', 'Approval'), { method: 'POST', body: '1' });
    expect(again.status).toBe(410);
  });

  it('suspends and resumes: events wait while suspended', async () => {
    const started = await startOrchestration(host, 'ApprovalWithTimeout', { timeoutMs: 60000 });
    await waitForStatus(started.statusQueryGetUri, (s) => s.runtimeStatus === 'Running');
    await client(started.id, 'suspend');
    await waitForStatus(started.statusQueryGetUri, (s) => s.runtimeStatus === 'Suspended');
    await client(started.id, 'raise', 'Approval', { body: JSON.stringify('later') });
    const whileSuspended = await getStatus(started.statusQueryGetUri);
    expect(whileSuspended.body.runtimeStatus).toBe('Suspended');
    await client(started.id, 'resume');
    const done = await waitForCompletion(started.statusQueryGetUri);
    expect(done.output).toEqual({ decision: 'later' });
  });

  it('lists instances with filters and purges one', async () => {
    const from = new Date(Date.now() - 1000).toISOString();
    const a = await startOrchestration(host, 'HelloSequence');
    await waitForCompletion(a.statusQueryGetUri);
    const list = (await (await fetch(`${host.origin}/api/instances?status=Completed&from=${from}`)).json()) as { instanceId: string; runtimeStatus: string }[];
    expect(list.map((s: { instanceId: string }) => s.instanceId)).toContain(a.id);
    expect(list.every((s: { runtimeStatus: string }) => s.runtimeStatus === 'Completed')).toBe(true);
    const purged = await (await client(a.id, 'purge')).json();
    expect(purged).toEqual({ instancesDeleted: 1 });
    expect((await getStatus(a.statusQueryGetUri)).code).toBe(404);
  });

  it('pages the list with a continuation token', async () => {
    const started = await Promise.all(Array.from({ length: 5 }, (_, i) => startOrchestration(host, 'HelloSequence', undefined, `page-${i}`)));
    await Promise.all(started.map((s) => waitForCompletion(s.statusQueryGetUri)));
    const base = started[0].statusQueryGetUri.split('/instances/')[0];
    const first = await fetch(`${base}/instances?instanceIdPrefix=page-&top=2`, { headers: withKey(host.systemKey) });
    expect(((await first.json()) as unknown[]).length).toBe(2);
    const token = first.headers.get('x-ms-continuation-token');
    expect(token).toBeTruthy();
    const second = await fetch(`${base}/instances?instanceIdPrefix=page-&top=10`, { headers: withKey(host.systemKey, { 'x-ms-continuation-token': token! }) });
    expect(((await second.json()) as unknown[]).length).toBe(3);
    expect(second.headers.get('x-ms-continuation-token')).toBeNull();
  });

  it('resolves blob output paths from the activity input, like the backupSiteContent sample', async () => {
    const files = [
      { fileName: 'a.txt', content: 'hello' },
      { fileName: 'b.md', content: 'xyz' },
    ];
    const started = await startOrchestration(host, 'Backup', files);
    expect((await waitForCompletion(started.statusQueryGetUri)).output).toBe(8);
    const dir = path.join(host.dataDir, 'blobs', 'backups');
    expect(fs.readFileSync(path.join(dir, 'a.txt'), 'utf8')).toBe('hello');
    expect(fs.readFileSync(path.join(dir, 'b.md'), 'utf8')).toBe('xyz');
  });

  it('refuses a second live instance with the same id and answers 404 for unknown ones', async () => {
    await startOrchestration(host, 'ApprovalWithTimeout', { timeoutMs: 60000 }, 'fixed-id');
    const dup = await fetch(`${host.origin}/api/orchestrators/ApprovalWithTimeout/fixed-id`, { method: 'POST', body: '{}' });
    expect(dup.status).toBe(500); // the app's starter gets the client's error for the 409
    const unknown = await fetch(`${host.origin}/runtime/webhooks/durabletask/instances/does-not-exist`, { headers: withKey(host.systemKey) });
    expect(unknown.status).toBe(404);
  });
});
