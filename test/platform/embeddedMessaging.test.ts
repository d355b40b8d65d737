import { EmbeddedMessaging, LocalBrokerUnavailable } from '../../shared/platform/messaging';
import { eventually, fixtureApp, HostProcess, spawnHost } from '../support/hostProcess';

// EmbeddedMessaging inside the real local host: a fixture app sends through the adapter and its
// Service Bus triggers on `agent-tasks` and `factory-events`/`audit-projection` record what came.

interface Received {
  fn: string;
  body: unknown;
  messageId?: string;
  correlationId?: string;
  subject?: string;
  contentType?: string;
  applicationProperties?: Record<string, unknown>;
  traceParent?: string;
}

const run = Date.now().toString(36);
const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
const properties = { traceparent: `00-${traceId}-00f067aa0ba902b7-01`, tenantId: 'tenant-a', projectId: 'project-1', workflowId: 'wf-9' };

async function post(host: HostProcess, op: string, body: unknown): Promise<Response> {
  const response = await fetch(`${host.origin}/api/messaging/${op}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  if (!response.ok) throw new Error(`${op}: ${response.status} ${await response.text()}`);
  return response;
}

function arrived(host: HostProcess, fn: string, messageId: string): Promise<Received> {
  return eventually(
    async () => {
      const all = (await (await fetch(`${host.origin}/api/messaging/received`)).json()) as Received[];
      return all.find((r) => r.fn === fn && r.messageId === messageId);
    },
    20000,
    `${messageId} at ${fn}`,
  );
}

describe('EmbeddedMessaging on the local host', () => {
  let host: HostProcess;
  beforeAll(async () => {
    host = await spawnHost(fixtureApp('messaging-app'));
  });
  afterAll(() => host?.stop());

  it('sends to a queue with body, ids, subject and application properties', async () => {
    const messageId = `task-${run}`;
    await post(host, 'send', {
      queue: 'agent-tasks',
      messages: { body: { taskId: 'task-1', skill: 'design' }, messageId, correlationId: `corr-${run}`, subject: 'AgentTask', applicationProperties: properties },
    });
    const got = await arrived(host, 'agentTasks', messageId);
    expect(got).toMatchObject({
      body: { taskId: 'task-1', skill: 'design' },
      correlationId: `corr-${run}`,
      subject: 'AgentTask',
      contentType: 'application/json',
      applicationProperties: properties,
    });
    expect(got.traceParent).toContain(traceId);
  });

  it('publishes several events to the factory-events topic', async () => {
    const ids = [`evt-a-${run}`, `evt-b-${run}`];
    await post(host, 'publish', {
      messages: ids.map((messageId, i) => ({ body: { type: 'BlueprintValidated.v1', n: i }, messageId, subject: 'BlueprintValidated.v1', applicationProperties: properties })),
    });
    const got = await Promise.all(ids.map((id) => arrived(host, 'auditProjection', id)));
    expect(got.map((r) => r.body)).toEqual([
      { type: 'BlueprintValidated.v1', n: 0 },
      { type: 'BlueprintValidated.v1', n: 1 },
    ]);
    expect(got.every((r) => r.subject === 'BlueprintValidated.v1')).toBe(true);
    expect(got[0].applicationProperties).toMatchObject({ tenantId: 'tenant-a', projectId: 'project-1', workflowId: 'wf-9' });
  });

  it('schedules a message and returns its sequence number', async () => {
    const messageId = `later-${run}`;
    const response = await post(host, 'schedule', {
      queue: 'agent-tasks',
      messages: { body: 'retry later', messageId, applicationProperties: { tenantId: 'tenant-a' } },
      at: new Date(Date.now() + 300).toISOString(),
    });
    const { sequenceNumber } = (await response.json()) as { sequenceNumber: string };
    expect(sequenceNumber).toMatch(/^\d+$/);
    const got = await arrived(host, 'agentTasks', messageId);
    expect(got.body).toBe('retry later');
    expect(got.applicationProperties).toMatchObject({ tenantId: 'tenant-a' });
  });

  it('reports the broker as reachable', async () => {
    const health = await (await fetch(`${host.origin}/api/messaging/health`)).json();
    expect(health).toEqual({ name: 'messaging', adapter: 'embedded', ok: true });
  });
});

describe('EmbeddedMessaging outside the local host', () => {
  it('fails with a clear error and reports unhealthy', async () => {
    const messaging = new EmbeddedMessaging();
    await expect(messaging.send('agent-tasks', { body: 1 })).rejects.toThrow(LocalBrokerUnavailable);
    await expect(messaging.publish({ body: 1 })).rejects.toThrow(/SERVICEBUS_NAMESPACE/);
    expect(await messaging.check()).toMatchObject({ ok: false, adapter: 'embedded' });
  });
});
