import fs from 'node:fs';
import path from 'node:path';
import { eventually, fixtureApp, HostProcess, spawnHost, tempDataDir, withKey } from './support/hostProcess';

// Host tests wait on conditions with their own deadlines; this only bounds a hung test on a loaded machine.
jest.setTimeout(180_000);

// The embedded Service Bus broker, observed as a user would: messages go in over the admin API
// (or the in-process broker), fixture functions record what they received.

interface Delivery {
  fn: string;
  body: unknown;
  messageId?: unknown;
  deliveryCount?: number;
  correlationId?: unknown;
  applicationProperties?: Record<string, unknown>;
  enqueuedTimeUtc?: string;
  traceParent?: string;
  receivedAt: number;
  batchSize?: number;
}

interface DeadLetter {
  sequenceNumber: number;
  messageId: string;
  body: unknown;
  deliveryCount: number;
  deadLetterReason: string;
  deadLetterErrorDescription: string;
  applicationProperties: Record<string, unknown>;
}

const env = { FACTORY_HOST_SB_RETRY_BASE_MS: '20', FACTORY_HOST_SB_MAX_DELIVERY_COUNT: '3' };
const run = Date.now().toString(36);
const traceId = 'a1b2c3d4e5f60718293a4b5c6d7e8f90';

async function json<T>(response: Response): Promise<T> {
  if (!response.ok) throw new Error(`${response.status} ${await response.text()}`);
  return (await response.json()) as T;
}

function post(host: HostProcess, route: string, body: unknown): Promise<Response> {
  return fetch(`${host.origin}${route}`, { method: 'POST', headers: withKey(host.masterKey, { 'content-type': 'application/json' }), body: JSON.stringify(body) });
}

async function send(host: HostProcess, entity: string, messages: unknown): Promise<number[]> {
  return (await json<{ sequenceNumbers: number[] }>(await post(host, `/admin/servicebus/${entity}/messages`, messages))).sequenceNumbers;
}

async function deliveries(host: HostProcess, fn: string, messageId?: string): Promise<Delivery[]> {
  const all = await json<Delivery[]>(await fetch(`${host.origin}/api/sb/log`));
  return all.filter((d) => d.fn === fn && (messageId === undefined || d.messageId === messageId));
}

async function entity(host: HostProcess, name: string) {
  const { entities } = await json<{ entities: { name: string; active: number; scheduled: number; deadLetter: number; locked: number }[] }>(
    await fetch(`${host.origin}/admin/servicebus/entities`, { headers: withKey(host.masterKey) }),
  );
  return entities.find((e) => e.name === name);
}

describe('the local Service Bus broker', () => {
  let host: HostProcess;
  beforeAll(async () => {
    host = await spawnHost(fixtureApp('app'), { env });
  });
  afterAll(() => host?.stop());

  it('delivers a queue message with its body and metadata, continuing its trace', async () => {
    const messageId = `basic-${run}`;
    await send(host, 'sb-basic', {
      body: { order: 42, item: 'widget' },
      messageId,
      correlationId: `corr-${run}`,
      contentType: 'application/json',
      applicationProperties: { tenant: 'acme', traceparent: `00-${traceId}-0123456789abcdef-01` },
    });
    const [seen] = await eventually(async () => {
      const found = await deliveries(host, 'sbBasic', messageId);
      return found.length ? found : undefined;
    });
    expect(seen.body).toEqual({ order: 42, item: 'widget' });
    expect(seen.deliveryCount).toBe(1);
    expect(seen.correlationId).toBe(`corr-${run}`);
    expect(seen.applicationProperties).toMatchObject({ tenant: 'acme' });
    expect(seen.traceParent).toContain(traceId);
    await eventually(async () => ((await entity(host, 'sb-basic'))?.active === 0 ? true : undefined), 60_000, 'the queue to be empty');
  });

  it('redelivers a failing message with a growing delivery count until it succeeds', async () => {
    const messageId = `flaky-${run}`;
    await send(host, 'sb-flaky', { body: 'try me', messageId });
    const seen = await eventually(async () => {
      const found = await deliveries(host, 'sbFlaky', messageId);
      return found.length >= 3 ? found : undefined;
    });
    expect(seen.map((d) => d.deliveryCount)).toEqual([1, 2, 3]);
    expect(seen.every((d) => d.body === 'try me')).toBe(true);
    await eventually(async () => ((await entity(host, 'sb-flaky'))?.active === 0 ? true : undefined), 60_000, 'the message to be completed');
    expect((await entity(host, 'sb-flaky'))?.deadLetter).toBe(0);
  });

  it('dead-letters a poison message after maxDeliveryCount and resubmits it', async () => {
    const messageId = `poison-${run}`;
    await send(host, 'sb-poison', { body: { bad: true }, messageId, applicationProperties: { origin: 'test' } });
    const deadLetters = () => fetch(`${host.origin}/admin/servicebus/sb-poison/deadletters`, { headers: withKey(host.masterKey) }).then((r) => json<{ messages: DeadLetter[] }>(r));
    const dead = await eventually(async () => (await deadLetters()).messages.find((m) => m.messageId === messageId), 60_000, 'the dead letter');
    expect(dead).toMatchObject({
      deadLetterReason: 'MaxDeliveryCountExceeded',
      deliveryCount: 3,
      body: { bad: true },
      applicationProperties: { origin: 'test' },
    });
    expect(dead.deadLetterErrorDescription).toContain('poison message rejected');
    expect((await deliveries(host, 'sbPoison', messageId)).map((d) => d.deliveryCount)).toEqual([1, 2, 3]);

    const resubmit = await post(host, `/admin/servicebus/sb-poison/deadletters/${dead.sequenceNumber}/resubmit`, {});
    expect(resubmit.status).toBe(200);
    const again = await eventually(async () => {
      const found = await deliveries(host, 'sbPoison', messageId);
      return found.length >= 4 ? found : undefined;
    });
    expect(again[3].deliveryCount).toBe(1);
    expect((await deadLetters()).messages.some((m) => m.sequenceNumber === dead.sequenceNumber)).toBe(false);

    const missing = await post(host, `/admin/servicebus/sb-poison/deadletters/${dead.sequenceNumber}/resubmit`, {});
    expect(missing.status).toBe(404);
    expect(missing.headers.get('content-type')).toContain('application/problem+json');
  });

  it('does not deliver a scheduled message before its time', async () => {
    const messageId = `scheduled-${run}`;
    const at = Date.now() + 1500;
    await send(host, 'sb-scheduled', { body: 'later', messageId, scheduledEnqueueTimeUtc: new Date(at).toISOString() });
    const [seen] = await eventually(async () => {
      const found = await deliveries(host, 'sbScheduled', messageId);
      return found.length ? found : undefined;
    });
    expect(seen.receivedAt).toBeGreaterThanOrEqual(at);
    expect(Date.parse(seen.enqueuedTimeUtc!)).toBeGreaterThanOrEqual(at);
  });

  it('schedules and cancels through the in-process broker', async () => {
    const scheduled = await json<{ sequenceNumbers: number[] }>(
      await post(host, '/api/sb/broker/schedule', { entity: 'sb-scheduled', message: { body: 'never' }, at: new Date(Date.now() + 3_600_000).toISOString() }),
    );
    expect(scheduled.sequenceNumbers).toHaveLength(1);
    expect((await entity(host, 'sb-scheduled'))?.scheduled).toBe(1);
    const cancel = await post(host, '/api/sb/broker/cancel', { entity: 'sb-scheduled', sequenceNumbers: scheduled.sequenceNumbers });
    expect(cancel.status).toBe(204);
    expect((await entity(host, 'sb-scheduled'))?.scheduled).toBe(0);
  });

  it('publishes a topic message to every subscription', async () => {
    const messageId = `event-${run}`;
    const sent = await post(host, '/api/sb/broker/send', { entity: 'sb-events', message: { body: { event: 'created' }, messageId } });
    expect(sent.status).toBe(204);
    for (const fn of ['sbEvents_audit', 'sbEvents_billing']) {
      const [seen] = await eventually(async () => {
        const found = await deliveries(host, fn, messageId);
        return found.length ? found : undefined;
      }, 20000, fn);
      expect(seen.body).toEqual({ event: 'created' });
    }
    const names = (await json<{ entities: { name: string }[] }>(await fetch(`${host.origin}/admin/servicebus/entities`, { headers: withKey(host.masterKey) }))).entities.map((e) => e.name);
    expect(names).toEqual(expect.arrayContaining(['sb-events', 'sb-events/subscriptions/audit', 'sb-events/subscriptions/billing']));
    for (const form of ['sb-events/subscriptions/audit', encodeURIComponent('sb-events/subscriptions/audit')]) {
      const peek = await fetch(`${host.origin}/admin/servicebus/${form}/messages`, { headers: withKey(host.masterKey) });
      expect(peek.status).toBe(200);
    }
  });

  it('forwards through a serviceBus output binding, keeping the trace', async () => {
    const messageId = `forward-${run}`;
    await send(host, 'sb-forward', { body: { n: 1 }, messageId });
    const [seen] = await eventually(async () => {
      const found = (await deliveries(host, 'sbForwarded')).filter((d) => (d.body as { original?: { n?: number } }).original?.n === 1);
      return found.length ? found : undefined;
    });
    expect(seen.body).toEqual({ forwardedFrom: 'sb-forward', original: { n: 1 } });
    const [origin] = await deliveries(host, 'sbForward', messageId);
    expect(seen.traceParent?.split('-')[1]).toBe(origin.traceParent?.split('-')[1]);
  });

  it('hands a batch to a cardinality many function', async () => {
    await send(host, 'sb-batch', [1, 2, 3].map((n) => ({ body: { n, run }, messageId: `batch-${run}-${n}` })));
    const batches = await eventually(async () => {
      const found = (await deliveries(host, 'sbBatch')).filter((d) => (d.body as { run: string }[]).some((b) => b.run === run));
      return found.flatMap((d) => d.body as unknown[]).length >= 3 ? found : undefined;
    });
    expect(batches.flatMap((d) => d.body as { n: number }[]).map((b) => b.n).sort()).toEqual([1, 2, 3]);
    expect(batches.flatMap((d) => d.messageId as string[]).sort()).toEqual([1, 2, 3].map((n) => `batch-${run}-${n}`));
  });

  it('answers bad admin requests with problem documents', async () => {
    const unknown = await fetch(`${host.origin}/admin/servicebus/no-such-queue/deadletters`, { headers: withKey(host.masterKey) });
    expect(unknown.status).toBe(404);
    const bad = await fetch(`${host.origin}/admin/servicebus/sb-basic/messages`, { method: 'POST', headers: withKey(host.masterKey), body: 'not json' });
    expect(bad.status).toBe(400);
    expect(bad.headers.get('content-type')).toContain('application/problem+json');
  });
});

describe('the local Service Bus broker across a crash', () => {
  it('delivers a message again after the host is killed while handling it', async () => {
    const dataDir = tempDataDir();
    const notes = path.join(dataDir, 'sb-crash');
    const read = (file: string) => {
      const full = path.join(notes, file);
      return fs.existsSync(full) ? (JSON.parse(fs.readFileSync(full, 'utf8')) as { body: unknown; messageId: string; deliveryCount: number }) : undefined;
    };
    const first = await spawnHost(fixtureApp('app'), { dataDir, env });
    let second: HostProcess | undefined;
    try {
      await send(first, 'sb-crash', { body: { job: 'survive' }, messageId: `crash-${run}` });
      await eventually(async () => read('started-1.json'), 60_000, 'the handler to start');
      await first.kill9();

      second = await spawnHost(fixtureApp('app'), { dataDir, env });
      const done = await eventually(async () => read('done-2.json'), 60_000, 'the redelivery');
      expect(done).toEqual({ body: { job: 'survive' }, messageId: `crash-${run}`, deliveryCount: 2 });
      await eventually(async () => ((await entity(second!, 'sb-crash'))?.active === 0 ? true : undefined), 60_000, 'the message to be completed');
    } finally {
      await first.kill9();
      await second?.stop();
    }
  });
});
