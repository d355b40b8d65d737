import Database from 'better-sqlite3';
import net from 'node:net';
import path from 'node:path';
import { eventually, fixtureApp, spawnHost, type HostProcess } from '../support/hostProcess';
import { buildGeneratedService, exampleBlueprint, startGeneratedService, tempRoot, type RunningService } from './generatedServiceSupport';

const MASTER_KEY = 'generated-outbox-master-key-0123456789';
const SYSTEM_KEY = 'generated-outbox-system-key-0123456789';
const library = exampleBlueprint('library.yaml');

jest.setTimeout(600_000);

/** A TCP relay to the host that the test can cut: while cut, every connection is refused or reset. */
class CuttableLink {
  private open = true;
  private readonly sockets = new Set<net.Socket>();
  private readonly server: net.Server;

  constructor(private readonly targetPort: number) {
    this.server = net.createServer((socket) => {
      if (!this.open) return socket.destroy();
      const upstream = net.connect(this.targetPort, '127.0.0.1');
      for (const side of [socket, upstream]) {
        this.sockets.add(side);
        side.on('close', () => this.sockets.delete(side));
        side.on('error', () => side.destroy());
      }
      socket.pipe(upstream).pipe(socket);
    });
  }

  async listen(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as net.AddressInfo).port}`;
  }

  cut(): void {
    this.open = false;
    for (const socket of this.sockets) socket.destroy();
  }

  async close(): Promise<void> {
    this.cut();
    await new Promise((resolve) => this.server.close(resolve));
  }
}

function query<T>(file: string, sql: string, ...params: unknown[]): T[] {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    return db.prepare(sql).all(...params) as T[];
  } finally {
    db.close();
  }
}

describe('transactional outbox of a generated service', () => {
  let host: HostProcess;
  let link: CuttableLink;
  const root = tempRoot('generated-outbox-');
  const sqlite = (module: string) => path.join(root, 'data', `${module}.db`);
  const started: RunningService[] = [];
  let lendingDir: string;

  const admin = async (method: string, route: string, body?: unknown) => {
    const response = await fetch(`${host.origin}/admin/servicebus/${route}`, { method, headers: { 'x-functions-key': MASTER_KEY, 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : undefined };
  };
  /** Every BookLent message on the probe subscription (nobody receives from it: each publish stays visible). */
  const probed = async (): Promise<string[]> => ((await admin('GET', 'book-lent-v1/subscriptions/outbox-probe/messages?limit=100')).body.messages as { messageId: string }[]).map((message) => message.messageId);
  const outbox = () => query<{ message_id: string; sent_at: string | null; attempts: number }>(sqlite('LendingService'), 'SELECT message_id, sent_at, attempts FROM outbox ORDER BY seq');
  const handledBookLent = () => query<{ id: string }>(sqlite('NotificationWorker'), "SELECT id FROM handled_events WHERE type = 'BookLent.v1'").map((row) => row.id);
  const startLending = async (brokerUrl: string) => {
    const service = await startGeneratedService(lendingDir, { BROKER_URL: brokerUrl, BROKER_KEY: MASTER_KEY, SQLITE_PATH: sqlite('LendingService'), OUTBOX_INTERVAL_MS: '200', RECEIVE_WAIT_MS: '1000' });
    started.push(service);
    return service;
  };

  beforeAll(async () => {
    host = await spawnHost(fixtureApp('app'), { env: { FACTORY_HOST_MASTER_KEY: MASTER_KEY, FACTORY_HOST_SYSTEM_KEY: SYSTEM_KEY } });
    link = new CuttableLink(host.port);
    lendingDir = buildGeneratedService(library, 'LendingService', root);
    const workerDir = buildGeneratedService(library, 'NotificationWorker', root);
    started.push(await startGeneratedService(workerDir, { BROKER_URL: host.origin, BROKER_KEY: MASTER_KEY, SQLITE_PATH: sqlite('NotificationWorker'), RECEIVE_WAIT_MS: '500' }));
    expect((await admin('PUT', 'topics/book-lent-v1', {})).status).toBeLessThan(300);
    expect((await admin('PUT', 'topics/book-lent-v1/subscriptions/outbox-probe', {})).status).toBeLessThan(300);
  });

  afterAll(async () => {
    for (const service of started) await service.stop();
    await link?.close();
    await host?.stop();
  });

  it('delivers an event committed while the broker was unreachable exactly once, after a kill -9 and a restart', async () => {
    const lending = await startLending(await link.listen());
    link.cut();
    const response = await fetch(`${lending.url}/lending/v1/loans`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ bookId: '00000000-0000-4000-8000-000000000001', memberId: '00000000-0000-4000-8000-000000000002', dueAt: '2030-01-31T09:30:00Z' }),
    });
    expect(response.status).toBe(201);
    const loan = (await response.json()) as { id: string };
    // Committed with the loan, not published: the broker was out of reach.
    const [pending] = outbox();
    expect(pending).toEqual(expect.objectContaining({ sent_at: null }));
    await eventually(async () => (outbox()[0].attempts > 0 ? true : undefined), 60_000, 'a failed publish attempt');
    lending.child.kill('SIGKILL');
    await lending.stop();
    expect(await probed()).toEqual([]);

    const restarted = await startLending(host.origin);
    await eventually(async () => (outbox()[0].sent_at ? true : undefined), 60_000, 'the outbox relay to publish after the restart');
    await eventually(async () => (handledBookLent().length ? true : undefined), 60_000, 'BookLent to reach the worker');
    expect(await probed()).toEqual([pending.message_id]);
    expect(handledBookLent()).toEqual([expect.stringContaining(pending.message_id)]);
    const read = await fetch(`${restarted.url}/lending/v1/loans/${loan.id}`);
    expect(read.status).toBe(200);
  });

  it('a publish repeated after a crash before markSent is harmless: the consumer handles the event once', async () => {
    const [sent] = outbox();
    const db = new Database(sqlite('LendingService'), { fileMustExist: true });
    try {
      db.prepare('UPDATE outbox SET sent_at = NULL WHERE message_id = ?').run(sent.message_id);
    } finally {
      db.close();
    }
    await eventually(async () => ((await probed()).length === 2 && outbox()[0].sent_at ? true : undefined), 60_000, 'the relay to publish the event again');
    expect(await probed()).toEqual([sent.message_id, sent.message_id]);
    await eventually(async () => (started[0].output.some((line) => line.includes('duplicate event skipped')) ? true : undefined), 60_000, 'the worker to see the duplicate');
    expect(handledBookLent()).toHaveLength(1);
  });
});
