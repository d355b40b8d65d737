import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseBlueprint, type Blueprint } from '../../shared/blueprints';
import { emitOpenApiContract } from '../../shared/skills/openapi/emitOpenApiContract';
import { BUILTIN_SKILLS, skillKey } from '../../shared/skills/registry';
import { generateService, mapEmittedEvents, toServiceModel } from '../../shared/skills/service';
import { servedRoutes } from '../../shared/skills/service/checks';
import { generateTests } from '../../shared/skills/tests';
import { SkillValidationError, type SkillArtifact } from '../../shared/skills/types';

const source = path.resolve(__dirname, '../../..');
const FILES = ['shared/blueprints/examples/vetclinic.yaml', 'test/skills/fixtures/shop.yaml', 'test/skills/fixtures/thumbnails.yaml'];

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

describe('GenerateService and GenerateTests', () => {
  it.each(FILES)('generate byte-identical artifacts from the same blueprint (%s)', (file) => {
    expect(generateAll(file)).toEqual(generateAll(file));
  });

  it('lays out a CommonJS project per module with no dependencies and strict options', () => {
    const blueprint = blueprintAt(FILES[0]);
    const { artifacts } = generateService({ blueprint, module: 'PaymentService', artifacts: [] });
    expect(artifacts.every((artifact) => artifact.name.startsWith('payment-service/') && artifact.kind === 'service-code' && artifact.module === 'PaymentService')).toBe(true);
    expect(artifacts.map((artifact) => artifact.name)).toEqual(
      expect.arrayContaining(['payment-service/src/entities/invoice.ts', 'payment-service/src/entities/invoice-line.ts', 'payment-service/src/main.ts', 'payment-service/tsconfig.json']),
    );
    const manifest = JSON.parse(artifacts.find((artifact) => artifact.name === 'payment-service/package.json')!.content) as Record<string, unknown>;
    expect(manifest).toMatchObject({ type: 'commonjs', scripts: { build: 'tsc -p .', start: 'node dist/src/main.js' } });
    expect(manifest.dependencies).toBeUndefined();
    const tsconfig = JSON.parse(artifacts.find((artifact) => artifact.name === 'payment-service/tsconfig.json')!.content) as { compilerOptions: Record<string, unknown> };
    expect(tsconfig.compilerOptions).toMatchObject({ strict: true, module: 'commonjs', types: ['node'] });
    const invoice = artifacts.find((artifact) => artifact.name === 'payment-service/src/entities/invoice.ts')!.content;
    expect(invoice).toContain("currency: 'EUR' | 'USD';");
    expect(invoice).toContain('lines: string[];');
    expect(invoice).toContain('paidAt?: string;');
  });

  it('serves exactly the routes of the emitted OpenAPI contract (plus POST /events)', async () => {
    for (const file of FILES) {
      const blueprint = blueprintAt(file);
      for (const module of blueprint.spec.modules) {
        const contract = (await emitOpenApiContract.run({ blueprint, module: module.name, artifacts: [] })).artifacts;
        const result = generateService({ blueprint, module: module.name, artifacts: contract });
        expect(result.checks.find((check) => check.name === 'contract-routes')).toEqual({ name: 'contract-routes', ok: true });
        expect(result.artifacts[0].inputs).toEqual(['blueprint', contract[0].name]);
      }
    }
  });

  it('fails its own check when the contract names a route it does not serve', async () => {
    const blueprint = blueprintAt(FILES[0]);
    const [contract] = (await emitOpenApiContract.run({ blueprint, module: 'BookingService', artifacts: [] })).artifacts;
    const extended = { ...contract, content: contract.content.replace('paths:\n', 'paths:\n  /booking/v1/extra:\n    get:\n      responses: {}\n') };
    expect(() => generateService({ blueprint, module: 'BookingService', artifacts: [extended] })).toThrow(SkillValidationError);
    expect(() => generateService({ blueprint, module: 'BookingService', artifacts: [extended] })).toThrow(/not served: GET \/booking\/v1\/extra/);
  });

  it('serves only probes and events for a module without an api', () => {
    const blueprint = blueprintAt(FILES[0]);
    const module = blueprint.spec.modules.find((candidate) => candidate.name === 'NotificationService')!;
    expect(servedRoutes(toServiceModel(blueprint, module))).toEqual(['GET /healthz', 'GET /ready', 'POST /events']);
  });

  it('maps emitted events to entity changes by the documented rule', () => {
    const shop = blueprintAt(FILES[1]);
    const vetclinic = blueprintAt(FILES[0]);
    const thumbnails = blueprintAt(FILES[2]);
    expect(mapEmittedEvents(shop.spec.modules[0])).toEqual([
      { type: 'OrderPlaced.v1', entity: 'Order', action: 'create' },
      { type: 'OrderCancelled.v1', entity: 'Order', action: 'delete' },
    ]);
    expect(mapEmittedEvents(shop.spec.modules[2])).toEqual([
      { type: 'ShipmentDispatched.v1', entity: 'Shipment', action: 'create' },
      { type: 'ShipmentUpdated.v1', entity: 'Shipment', action: 'update' },
    ]);
    expect(mapEmittedEvents(vetclinic.spec.modules[2])).toEqual([{ type: 'PaymentReceived.v2', entity: 'Invoice', action: 'create' }]);
    expect(mapEmittedEvents(thumbnails.spec.modules[0])).toEqual([
      { type: 'ThumbnailCreated.v1', entity: 'Thumbnail', action: 'create' },
      { type: 'CategoryRemoved.v1', entity: 'Category', action: 'delete' },
    ]);
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
