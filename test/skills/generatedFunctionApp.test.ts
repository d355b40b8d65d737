import Database from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';
import { parseBlueprint } from '../../shared/blueprints';
import { generateBicep } from '../../shared/skills/bicep/generateBicep';
import { generatePipeline } from '../../shared/skills/pipeline/generatePipeline';
import { generateService } from '../../shared/skills/service';
import { generateTests } from '../../shared/skills/tests';
import { validateService, type ValidationReport } from '../../shared/skills/validate';
import { startFunctionAppProcess } from '../../shared/skills/validate/functionAppProcess';
import type { ServiceProcess } from '../../shared/skills/validate/serviceProcess';
import { eventually } from '../support/hostProcess';
import { buildGeneratedService, startGeneratedService, tempRoot, type RunningService } from './generatedServiceSupport';

const MASTER_KEY = 'generated-function-master-key-0123456789';
const SYSTEM_KEY = 'generated-function-system-key-0123456789';

jest.setTimeout(600_000);

const parcels = (() => {
  const parsed = parseBlueprint(fs.readFileSync(path.resolve(__dirname, '../../../test/skills/fixtures/parcels.yaml'), 'utf8'));
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
  return parsed.blueprint;
})();

function rows<T>(file: string, sql: string): T[] {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    return db.prepare(sql).all() as T[];
  } finally {
    db.close();
  }
}

describe('generation of a function module', () => {
  it('is an Azure Functions v4 app: host.json, main on the compiled functions, triggers per operation and consumed event (src/main.ts stays the container entry)', () => {
    const files = new Map(generateService({ blueprint: parcels, module: 'LabelFunction', artifacts: [] }).artifacts.map((file) => [file.name, file.content]));
    const manifest = JSON.parse(files.get('label-function/package.json')!) as { main: string; dependencies: Record<string, string> };
    expect(manifest.main).toBe('dist/src/functions/*.js');
    expect(manifest.dependencies['@azure/functions']).toMatch(/^\d+\.\d+\.\d+$/);
    expect(JSON.parse(files.get('label-function/host.json')!).extensions.http.routePrefix).toBe('');
    expect(files.has('label-function/src/main.ts')).toBe(true);
    expect(files.get('label-function/src/functions/events.ts')).toContain('app.serviceBusTopic(');
    expect(files.get('label-function/src/functions/http.ts')).toContain('"route": "labels/v1/labels/{id}"');
    const service = new Map(generateService({ blueprint: parcels, module: 'ParcelService', artifacts: [] }).artifacts.map((file) => [file.name, file.content]));
    expect([...service.keys()].filter((name) => /host\.json|src\/functions\//.test(name))).toEqual([]);
    expect(service.has('parcel-service/src/main.ts')).toBe(true);
  });

  it('deploys as a Flex Consumption Function App whose Service Bus connection setting is the one its triggers name, its code as a zip package', async () => {
    const input = { blueprint: parcels, module: 'LabelFunction', artifacts: [] };
    const bicep = (await generateBicep.run(input)).artifacts[0].content;
    expect(bicep).toContain("tier: 'FlexConsumption'");
    expect(bicep).toContain("name: 'ServiceBusConnection__fullyQualifiedNamespace'");
    const triggers = generateService(input).artifacts.find((file) => file.name === 'label-function/src/functions/events.ts')!.content;
    expect(triggers).toContain("connection: 'ServiceBusConnection'");
    const workflow = (await generatePipeline.run(input)).artifacts.find((file) => file.name.endsWith('.yml'))!.content;
    expect(workflow).toContain('az functionapp deployment source config-zip');
    expect(workflow).toContain('properties.outputs.appName.value');
  });

  it('is byte-identical for the same blueprint', () => {
    const render = () => generateService({ blueprint: parcels, module: 'LabelFunction', artifacts: [] }).artifacts.map((file) => `${file.name}\n${file.content}`).join('\n');
    expect(render()).toBe(render());
  });
});

describe('a generated function module on the local Functions host', () => {
  const root = tempRoot('generated-function-');
  const sqlite = (name: string) => path.join(root, 'data', `${name}.db`);
  let labelDir: string;
  let parcelDir: string;
  let app: ServiceProcess;
  let parcelService: RunningService;
  const admin = async (method: string, route: string, body?: unknown) => {
    const response = await fetch(`${app.url}/admin/servicebus/${route}`, { method, headers: { 'x-functions-key': MASTER_KEY, 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : undefined };
  };
  const handled = () => rows<{ id: string; type: string }>(sqlite('label-function'), 'SELECT id, type FROM handled_events ORDER BY handled_at');

  beforeAll(async () => {
    labelDir = buildGeneratedService(parcels, 'LabelFunction', root);
    parcelDir = buildGeneratedService(parcels, 'ParcelService', root);
    app = await startFunctionAppProcess(
      labelDir,
      { FACTORY_HOST_MASTER_KEY: MASTER_KEY, FACTORY_HOST_SYSTEM_KEY: SYSTEM_KEY, FACTORY_HOST_SB_RETRY_BASE_MS: '10', BROKER_KEY: MASTER_KEY, SQLITE_PATH: sqlite('label-function') },
      120_000,
    );
    // The other module publishes to the broker of the host the function app runs on.
    parcelService = await startGeneratedService(parcelDir, { BROKER_URL: app.url, BROKER_KEY: MASTER_KEY, SQLITE_PATH: sqlite('parcel-service') });
  });

  afterAll(async () => {
    await parcelService?.stop();
    expect(await app?.stop()).toBe(0);
  });

  it('answers a create and a read through its HTTP functions, and a 400 problem with paths for a bad body', async () => {
    const created = await fetch(`${app.url}/labels/v1/labels`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ parcelId: '00000000-0000-4000-8000-000000000001', carrier: 'DHL' }) });
    expect(created.status).toBe(201);
    const label = (await created.json()) as { id: string; carrier: string };
    expect(created.headers.get('location')).toBe(`/labels/v1/labels/${label.id}`);
    const read = await fetch(`${app.url}/labels/v1/labels/${label.id}`);
    expect(read.status).toBe(200);
    expect(read.headers.get('etag')).toBe(created.headers.get('etag'));
    expect(await read.json()).toEqual(label);
    const bad = await fetch(`${app.url}/labels/v1/labels`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ parcelId: 'nope' }) });
    expect(bad.status).toBe(400);
    expect(bad.headers.get('content-type')).toContain('application/problem+json');
    expect(((await bad.json()) as { errors: { path: string }[] }).errors.map((error) => error.path).sort()).toEqual(['/carrier', '/parcelId']);
  });

  it('receives through its Service Bus trigger the event another module emits, once', async () => {
    const before = handled().length;
    const response = await fetch(`${parcelService.url}/parcels/v1/parcels`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ recipient: 'Ada', weightGrams: 1200 }) });
    expect(response.status).toBe(201);
    await eventually(async () => (handled().length > before ? true : undefined), 60_000, 'ParcelRegistered to reach the function app');
    expect(handled().slice(before).map((row) => row.type)).toEqual(['ParcelRegistered.v1']);
    expect(app.output.join('\n')).not.toContain('"outcome":"Failed"');
  });

  it('emits the event its create declares to the broker, from its outbox', async () => {
    expect((await admin('PUT', 'topics/label-printed-v1/subscriptions/probe', {})).status).toBeLessThan(300);
    const created = await fetch(`${app.url}/labels/v1/labels`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ parcelId: '00000000-0000-4000-8000-000000000002', carrier: 'UPS' }) });
    expect(created.status).toBe(201);
    const label = (await created.json()) as { id: string };
    const messages = await eventually(async () => {
      const found = (await admin('GET', 'label-printed-v1/subscriptions/probe/messages')).body.messages as { body: { type: string; data: { id: string } } }[];
      return found.length ? found : undefined;
    }, 60_000, 'LabelPrinted on the broker');
    expect(messages.map((message) => [message.body.type, message.body.data.id])).toEqual([['LabelPrinted.v1', label.id]]);
  });

  it('dead-letters a malformed event after the max delivery count and never handles it', async () => {
    const before = handled().length;
    expect((await admin('POST', 'parcel-registered-v1/messages', { messageId: 'malformed-1', body: { specversion: '1.0', type: 'ParcelRegistered.v1', id: 'malformed-1', data: 'no parcel' } })).status).toBe(201);
    const dead = await eventually(async () => {
      const found = (await admin('GET', 'parcel-registered-v1/subscriptions/label-function/deadletters')).body.messages as { messageId: string }[];
      return found.length ? found : undefined;
    }, 60_000, 'the malformed event to be dead-lettered');
    expect(dead).toEqual([expect.objectContaining({ messageId: 'malformed-1', deliveryCount: 2 })]);
    expect(handled().length).toBe(before);
  });

  it('passes ValidateService: type-check, its generated tests, then its contract and events while running on the local host', async () => {
    const input = { blueprint: parcels, module: 'LabelFunction', artifacts: [] };
    const artifacts = [...generateService(input).artifacts, ...generateTests(input).artifacts];
    const outcome = await validateService({ ...input, artifacts, options: { timeoutMs: 180_000 } });
    const report = JSON.parse(outcome.artifacts[0].content) as ValidationReport;
    expect({ status: report.status, diagnostics: report.typecheck.diagnostics, failed: report.tests.failed, contractError: report.contract?.error }).toEqual({ status: 'passed', diagnostics: [], failed: 0, contractError: undefined });
    expect(report.tests.passed).toBeGreaterThan(0);
    expect(report.contract!.operations.map((check) => check.operation)).toEqual(expect.arrayContaining(['POST /labels/v1/labels', 'GET /labels/v1/labels/{id}']));
    expect(report.contract!.events.map((check) => check.type)).toContain('LabelPrinted.v1');
  });
});
