import Database from 'better-sqlite3';
import path from 'node:path';
import { contractInput } from '../../shared/skills/validate/contractInput';
import { CaptureBroker } from '../../shared/skills/validate/captureBroker';
import { runContractTest } from '../../shared/skills/validate/contractTest';
import { eventually, fixtureApp, spawnHost, type HostProcess } from '../support/hostProcess';
import { buildGeneratedService, exampleBlueprint, startGeneratedService, tempRoot, type RunningService } from './generatedServiceSupport';

const MASTER_KEY = 'generated-services-master-key-0123456789';
const SYSTEM_KEY = 'generated-services-system-key-0123456789';
const library = exampleBlueprint('library.yaml');
const vetclinic = exampleBlueprint('vetclinic.yaml');

jest.setTimeout(600_000);

/** The event types a service has handled, read from its own SQLite store (its de-duplication record). */
function handledTypes(sqlitePath: string): string[] {
  const db = new Database(sqlitePath, { readonly: true, fileMustExist: true });
  try {
    return (db.prepare('SELECT type FROM handled_events ORDER BY handled_at').all() as { type: string }[]).map((row) => row.type);
  } finally {
    db.close();
  }
}

async function admin(host: HostProcess, method: string, route: string, body?: unknown): Promise<{ status: number; body: any }> { // eslint-disable-line @typescript-eslint/no-explicit-any
  const response = await fetch(`${host.origin}/admin/servicebus/${route}`, { method, headers: { 'x-functions-key': MASTER_KEY, 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : undefined };
}

describe('generated services on the local store and the local host broker', () => {
  let host: HostProcess;
  const root = tempRoot('generated-services-');
  const dirs = new Map<string, string>();
  const running = new Map<string, RunningService>();
  const sqlite = (module: string) => path.join(root, 'data', `${module}.db`);
  const start = async (module: string) => {
    const service = await startGeneratedService(dirs.get(module)!, { BROKER_URL: host.origin, BROKER_KEY: MASTER_KEY, SQLITE_PATH: sqlite(module), RECEIVE_WAIT_MS: '1000' });
    running.set(module, service);
    return service;
  };

  beforeAll(async () => {
    host = await spawnHost(fixtureApp('app'), { env: { FACTORY_HOST_MASTER_KEY: MASTER_KEY, FACTORY_HOST_SYSTEM_KEY: SYSTEM_KEY, FACTORY_HOST_SB_RETRY_BASE_MS: '10' } });
    for (const blueprint of [library, vetclinic]) {
      for (const module of blueprint.spec.modules) dirs.set(module.name, buildGeneratedService(blueprint, module.name, path.join(root, blueprint.metadata.name)));
    }
    for (const module of dirs.keys()) await start(module);
  });

  afterAll(async () => {
    for (const service of running.values()) await service.stop();
    await host?.stop();
  });

  it('keeps an entity across a restart', async () => {
    const catalog = running.get('CatalogService')!;
    const created = await fetch(`${catalog.url}/catalog/v1/books`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ title: 'Dune', author: 'Frank Herbert', isbn: '9780441013593', status: 'available' }) });
    expect(created.status).toBe(201);
    const book = (await created.json()) as { id: string };
    expect(await catalog.stop()).toBe(0);
    const restarted = await start('CatalogService');
    const read = await fetch(`${restarted.url}/catalog/v1/books/${book.id}`);
    expect(read.status).toBe(200);
    expect(await read.json()).toEqual(book);
  });

  it('names every property it refuses: missing, not in the contract, or longer than a string field holds', async () => {
    const member = running.get('MemberService')!;
    const response = await fetch(`${member.url}/members/v1/members`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: 'Ada', id: 'mine', admin: true }) });
    expect(response.status).toBe(400);
    const problem = (await response.json()) as { errors: { path: string }[] };
    expect(problem.errors.map((error) => error.path).sort()).toEqual(['/admin', '/email', '/id']);
    const long = await fetch(`${member.url}/members/v1/members`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: 'x'.repeat(1001), email: 'ada@example.org' }) });
    expect(long.status).toBe(400);
    expect(((await long.json()) as { errors: { path: string }[] }).errors.map((error) => error.path)).toEqual(['/name']);
  });

  it('delivers the event a create declares to its consumers, and only that event', async () => {
    const lending = running.get('LendingService')!;
    const before = { worker: handledTypes(sqlite('NotificationWorker')), catalog: handledTypes(sqlite('CatalogService')) };
    const response = await fetch(`${lending.url}/lending/v1/loans`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01' },
      body: JSON.stringify({ bookId: '00000000-0000-4000-8000-000000000001', memberId: '00000000-0000-4000-8000-000000000002', dueAt: '2030-01-31T09:30:00Z' }),
    });
    expect(response.status).toBe(201);
    await eventually(async () => (handledTypes(sqlite('NotificationWorker')).length > before.worker.length && handledTypes(sqlite('CatalogService')).length > before.catalog.length ? true : undefined), 60_000, 'BookLent to arrive');
    expect(handledTypes(sqlite('NotificationWorker')).slice(before.worker.length)).toEqual(['BookLent.v1']);
    expect(handledTypes(sqlite('CatalogService')).slice(before.catalog.length)).toEqual(['BookLent.v1']);
    const overdue = await admin(host, 'GET', 'loan-overdue-v1/subscriptions/notification-worker/messages');
    expect(overdue.body.messages).toEqual([]);
    expect(running.get('NotificationWorker')!.output.join('\n')).toContain('"traceId":"0af7651916cd43dd8448eb211c80319c"');
  });

  it('delivers the SPEC blueprint\'s AppointmentBooked to both its consumers', async () => {
    const booking = running.get('BookingService')!;
    const response = await fetch(`${booking.url}/booking/v1/appointments`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ petName: 'Rex', startsAt: '2030-01-31T09:30:00Z', status: 'booked' }) });
    expect(response.status).toBe(201);
    await eventually(async () => (handledTypes(sqlite('NotificationService')).includes('AppointmentBooked.v1') && handledTypes(sqlite('PaymentService')).includes('AppointmentBooked.v1') ? true : undefined), 60_000, 'AppointmentBooked to arrive');
  });

  it('dead-letters a malformed event at once instead of retrying it', async () => {
    const sent = await admin(host, 'POST', 'book-lent-v1/messages', { messageId: 'malformed-1', body: { specversion: '1.0', type: 'BookLent.v1', id: 'malformed-1', data: 'not a loan' } });
    expect(sent.status).toBe(201);
    const deadLetters = await eventually(async () => {
      const found = await admin(host, 'GET', 'book-lent-v1/subscriptions/notification-worker/deadletters');
      return found.body.messages.length ? found.body.messages : undefined;
    }, 60_000, 'the malformed event to be dead-lettered');
    expect(deadLetters).toEqual([expect.objectContaining({ messageId: 'malformed-1', deliveryCount: 1, deadLetterReason: 'SchemaValidationFailed' })]);
  });
  it.each([...library.spec.modules.map((module) => [module.name, library] as const), ...vetclinic.spec.modules.map((module) => [module.name, vetclinic] as const)])(
    '%s answers every operation of its OpenAPI contract',
    async (module, blueprint) => {
      const spec = blueprint.spec.modules.find((candidate) => candidate.name === module)!;
      const broker = new CaptureBroker();
      const run = await runContractTest(running.get(module)!.url, { ...contractInput(blueprint, spec, []), emits: {} }, broker);
      expect(run.operations.filter((check) => check.problems.length)).toEqual([]);
      expect(run.operations.length).toBeGreaterThanOrEqual(2);
    },
  );
});
