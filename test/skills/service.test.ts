import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseBlueprint, type Blueprint } from '../../shared/blueprints';
import { diffBlueprints } from '../../shared/blueprints/diff';
import { emitTriggers, shortFormTrigger } from '../../shared/blueprints/emits';
import { emitOpenApiContract } from '../../shared/skills/openapi/emitOpenApiContract';
import { BUILTIN_SKILLS, skillKey } from '../../shared/skills/registry';
import { generateService, toServiceModel } from '../../shared/skills/service';
import { servedRoutes } from '../../shared/skills/service/checks';
import { generateTests } from '../../shared/skills/tests';
import { SkillValidationError, type SkillArtifact } from '../../shared/skills/types';

const source = path.resolve(__dirname, '../../..');
const FILES = ['shared/blueprints/examples/vetclinic.yaml', 'shared/blueprints/examples/library.yaml', 'test/skills/fixtures/shop.yaml', 'test/skills/fixtures/thumbnails.yaml'];

function blueprintAt(file: string): Blueprint {
  const result = parseBlueprint(readFileSync(path.join(source, file), 'utf8'));
  if (!result.ok) throw new Error(`${file} is invalid: ${JSON.stringify(result.problems)}`);
  return result.blueprint;
}

function generateAll(file: string): SkillArtifact[] {
  const blueprint = blueprintAt(file);
  return blueprint.spec.modules.flatMap((module) => {
    const service = generateService({ blueprint, module: module.name, artifacts: [] }).artifacts;
    return [...service, ...generateTests({ blueprint, module: module.name, artifacts: service }).artifacts];
  });
}

const contentOf = (artifacts: SkillArtifact[], name: string) => artifacts.find((artifact) => artifact.name === name)!.content;

describe('GenerateService and GenerateTests', () => {
  it.each(FILES)('generate byte-identical artifacts from the same blueprint (%s)', (file) => {
    expect(generateAll(file)).toEqual(generateAll(file));
  });

  it('render the template tree: the project mirrors templates/project, with pinned versions the factory has installed', () => {
    const blueprint = blueprintAt(FILES[0]);
    const { artifacts } = generateService({ blueprint, module: 'BookingService', artifacts: [] });
    expect(artifacts.every((artifact) => artifact.name.startsWith('booking-service/') && artifact.kind === 'service-code')).toBe(true);
    expect(artifacts.map((artifact) => artifact.name)).toEqual(
      expect.arrayContaining([
        'booking-service/.dockerignore',
        'booking-service/.env.example',
        'booking-service/src/handlers/payment-received-v2.ts',
        'booking-service/src/store/sqliteRepository.ts',
        'booking-service/src/store/cosmosRepository.ts',
        'booking-service/src/events/localBroker.ts',
        'booking-service/src/events/serviceBusBroker.ts',
      ]),
    );
    expect(artifacts.some((artifact) => artifact.name.includes('.eta') || artifact.name.includes('['))).toBe(false);
    const manifest = JSON.parse(contentOf(artifacts, 'booking-service/package.json')) as { dependencies: Record<string, string>; devDependencies: Record<string, string>; scripts: Record<string, string> };
    expect(manifest.scripts).toEqual({ build: 'tsc -p .', start: 'node dist/src/main.js', test: 'tsc -p . && node --test dist/test/*.test.js' });
    expect(Object.keys(manifest.dependencies)).toEqual(expect.arrayContaining(['fastify', 'pino', '@azure/cosmos', '@azure/service-bus', '@azure/identity', 'cockatiel', '@opentelemetry/api', 'better-sqlite3']));
    const factory = JSON.parse(readFileSync(path.join(source, 'package.json'), 'utf8')) as { dependencies: Record<string, string>; devDependencies: Record<string, string> };
    for (const [name, version] of Object.entries({ ...manifest.dependencies, ...manifest.devDependencies })) {
      expect(version).toMatch(/^\d+\.\d+\.\d+$/);
      expect(factory.dependencies[name] ?? factory.devDependencies[name]).toBeDefined();
      expect((JSON.parse(readFileSync(path.join(source, 'node_modules', name, 'package.json'), 'utf8')) as { version: string }).version).toBe(version);
    }
  });

  it('serves exactly the routes of the emitted OpenAPI contract', async () => {
    for (const file of FILES) {
      const blueprint = blueprintAt(file);
      for (const module of blueprint.spec.modules) {
        const contract = (await emitOpenApiContract.run({ blueprint, module: module.name, artifacts: [] })).artifacts;
        const result = generateService({ blueprint, module: module.name, artifacts: contract });
        expect(result.checks.find((check) => check.name === 'contract-routes')).toEqual({ name: 'contract-routes', ok: true });
      }
    }
  });

  it('fails its own check when the contract names a route it does not serve', async () => {
    const blueprint = blueprintAt(FILES[0]);
    const [contract] = (await emitOpenApiContract.run({ blueprint, module: 'BookingService', artifacts: [] })).artifacts;
    const extended = { ...contract, content: contract.content.replace('paths:\n', 'paths:\n  /booking/v1/extra:\n    get:\n      responses: {}\n') };
    expect(() => generateService({ blueprint, module: 'BookingService', artifacts: [extended] })).toThrow(/not served: GET \/booking\/v1\/extra/);
  });

  it('gives a worker only its probes: no ingress routes, its events arrive through subscriptions', () => {
    const blueprint = blueprintAt(FILES[1]);
    const worker = toServiceModel(blueprint, blueprint.spec.modules.find((module) => module.name === 'NotificationWorker')!);
    expect(servedRoutes(worker)).toEqual(['GET /health/live', 'GET /health/ready']);
    expect(worker.consumes.map((consumed) => [consumed.event, consumed.topic])).toEqual([
      ['BookLent.v1', 'book-lent-v1'],
      ['LoanOverdue.v1', 'loan-overdue-v1'],
      ['MemberRegistered.v1', 'member-registered-v1'],
    ]);
  });

  it('publishes an event only on the operation that declares it (explicit `on`, else the short-form rule)', () => {
    const library = blueprintAt(FILES[1]);
    const lending = toServiceModel(library, library.spec.modules[1]);
    expect(lending.emits.map(({ event, entity, change }) => [event, `${entity}.${change}`])).toEqual([
      ['BookLent.v1', 'Loan.created'],
      ['BookReturned.v1', 'Loan.updated'],
    ]);
    expect(lending.unboundEmits.map((emitted) => emitted.event)).toEqual(['LoanOverdue.v1']);
    expect(emitTriggers(library.spec.modules[0])).toEqual([
      { event: 'BookAdded.v1', on: 'Book.created' },
      { event: 'BookRetired.v1', on: 'Book.deleted' },
    ]);
    expect(shortFormTrigger('AppointmentBooked.v1', ['Appointment'])).toBe('Appointment.created');
    expect(shortFormTrigger('InvoiceLineRemoved.v1', ['Invoice', 'InvoiceLine'])).toBe('InvoiceLine.deleted');
    expect(shortFormTrigger('ShipmentUpdated.v1', ['Shipment'])).toBe('Shipment.updated');
    expect(shortFormTrigger('BookRetired.v1', ['Book'])).toBeUndefined();
    expect(shortFormTrigger('PaymentReceived.v2', ['Invoice'])).toBeUndefined();
  });

  it('rejects an `on` that names another module\'s entity, with its path', () => {
    const text = readFileSync(path.join(source, FILES[1]), 'utf8').replace('{ event: BookLent.v1, on: Loan.created }', '{ event: BookLent.v1, on: Book.created }');
    const result = parseBlueprint(text);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.problems).toEqual([expect.objectContaining({ path: 'spec.modules[1].events.emits[0].on', code: 'UnknownRef' })]);
  });

  it('reports a changed `on` in the blueprint diff, so a sprint regenerates that module', () => {
    const text = readFileSync(path.join(source, FILES[1]), 'utf8');
    const before = parseBlueprint(text);
    const after = parseBlueprint(text.replace('{ event: BookReturned.v1, on: Loan.updated }', '{ event: BookReturned.v1, on: Loan.deleted }'));
    if (!before.ok || !after.ok) throw new Error('invalid');
    const change = diffBlueprints(before.blueprint, after.blueprint).modules.changed.find((module) => module.name === 'LendingService');
    expect(change?.events?.bindings).toEqual({ added: ['BookReturned.v1 on Loan.deleted'], removed: ['BookReturned.v1 on Loan.updated'] });
  });

  it('needs a module that the blueprint has', () => {
    const blueprint = blueprintAt(FILES[0]);
    expect(() => generateService({ blueprint, artifacts: [] })).toThrow(SkillValidationError);
    expect(() => generateTests({ blueprint, module: 'Nope', artifacts: [] })).toThrow(SkillValidationError);
  });

  it('registers the three skills between the event contracts and the Bicep', () => {
    const keys = BUILTIN_SKILLS.map(skillKey);
    const at = keys.indexOf('event-driven-architect/DefineEventContracts');
    expect(keys.slice(at + 1, at + 5)).toEqual(['backend-developer/GenerateService', 'qa-engineer/GenerateTests', 'qa-engineer/ValidateService', 'cloud-provisioner/GenerateBicep']);
  });
});
