import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { parse } from 'yaml';
import { sampleEvent } from '../../shared/skills/events/eventSchema';
import type { SkillArtifact } from '../../shared/skills/types';
import { artifactNamed, loadBlueprint, runAllSkills } from './skillFixtures';

type OpenApi = { paths: Record<string, Record<string, { operationId?: string; parameters?: { $ref?: string }[] }>>; components: { schemas: Record<string, { properties: Record<string, Record<string, unknown>>; required?: string[] }> } };

function openApiValidator() {
  const nodeModule = process.getBuiltinModule('node:module');
  return nodeModule.createRequire(__filename)('@seriousme/openapi-schema-validator') as typeof import('@seriousme/openapi-schema-validator');
}

describe('EmitOpenApiContract', () => {
  test('every contract of the three blueprints passes @seriousme/openapi-schema-validator as OpenAPI 3.1', async () => {
    const { Validator } = openApiValidator();
    for (const name of ['vetclinic', 'shop', 'reminders'] as const) {
      const contracts = (await runAllSkills(loadBlueprint(name))).filter((artifact) => artifact.kind === 'openapi-contract');
      expect(contracts.length).toBe(loadBlueprint(name).spec.modules.length);
      for (const contract of contracts) {
        const validator = new Validator();
        const result = await validator.validate(parse(contract.content) as Record<string, unknown>);
        expect({ name: contract.name, errors: result.errors }).toEqual({ name: contract.name, errors: undefined });
        expect(validator.version).toBe('3.1');
      }
    }
  });

  test('versioned CRUD paths with paging, ids read-only, refs as uuids, optional fields not required', async () => {
    const artifacts = await runAllSkills(loadBlueprint('shop'));
    const document = parse(artifactNamed(artifacts, 'order-service/openapi.yaml').content) as OpenApi;
    for (const version of ['v1', 'v2']) {
      expect(Object.keys(document.paths[`/orders/${version}/orders`])).toEqual(['get', 'post']);
      expect(Object.keys(document.paths[`/orders/${version}/order-lines/{id}`])).toEqual(['parameters', 'get', 'put', 'delete']);
    }
    expect(document.paths['/orders/v1/orders'].get.parameters).toEqual([{ $ref: '#/components/parameters/Limit' }, { $ref: '#/components/parameters/Continuation' }]);
    const order = document.components.schemas.Order;
    expect(order.properties.id).toEqual({ type: 'string', format: 'uuid', readOnly: true });
    expect(order.properties.createdAt).toEqual({ type: 'string', format: 'date-time', readOnly: true });
    expect(order.properties.placedOn).toEqual({ type: 'string', format: 'date' });
    expect(order.properties.customerEmail).toEqual({ type: 'string', format: 'email', maxLength: 254 });
    expect(order.properties.lines).toEqual({ type: 'array', items: { type: 'string', format: 'uuid', description: 'id of the referenced OrderLine' } });
    expect(order.properties.status).toEqual({ type: 'string', enum: ['placed', 'paid', 'shipped', 'cancelled'] });
    expect(order.required).toEqual(['id', 'createdAt', 'updatedAt', 'customerEmail', 'giftWrap', 'lines', 'placedOn', 'status', 'total']);
    expect(document.components.schemas.OrderInput.properties).not.toHaveProperty('id');
    expect(document.components.schemas.OrderLine.properties.productPage).toEqual({ type: 'string', format: 'uri', maxLength: 2048 });
  });

  test('a module without an API gets a contract with only the health probes', async () => {
    const artifacts = await runAllSkills(loadBlueprint('vetclinic'));
    const document = parse(artifactNamed(artifacts, 'notification-service/openapi.yaml').content) as OpenApi;
    expect(Object.keys(document.paths)).toEqual(['/health/live', '/health/ready']);
  });
});

function compile(schemaText: string) {
  const ajv = new Ajv2020({ allErrors: true, strict: false });
  addFormats(ajv);
  return ajv.compile(JSON.parse(schemaText) as object);
}

describe('DefineEventContracts', () => {
  let artifacts: SkillArtifact[];
  beforeAll(async () => {
    artifacts = [...(await runAllSkills(loadBlueprint('vetclinic'))), ...(await runAllSkills(loadBlueprint('shop'))), ...(await runAllSkills(loadBlueprint('reminders')))];
  });

  test('an event carries the entity its `on` names, else the entity its name starts with, else the module first entity', async () => {
    const blueprint = loadBlueprint('vetclinic');
    const booked = JSON.parse(artifactNamed(artifacts, 'booking-service/events/AppointmentBooked.v1.schema.json').content);
    expect(Object.keys(booked.properties.data.properties)).toEqual(['id', 'createdAt', 'updatedAt', 'petName', 'startsAt', 'status']);
    expect(booked.properties.type).toEqual({ type: 'string', const: 'AppointmentBooked.v1' });
    const received = JSON.parse(artifactNamed(artifacts, 'payment-service/events/PaymentReceived.v2.schema.json').content);
    expect(received['x-factory'].dataRule).toBe('declared');
    expect(received.properties.data.properties.lines).toEqual({ type: 'array', items: { type: 'string', format: 'uuid', description: 'id of the referenced InvoiceLine' } });
    const payment = blueprint.spec.modules.find((module) => module.name === 'PaymentService')!;
    expect(compile(artifactNamed(artifacts, 'payment-service/events/PaymentReceived.v2.schema.json').content)(sampleEvent(payment, 'PaymentReceived.v2', false))).toBe(true);
  });

  test('every schema compiles in ajv, accepts its sample and rejects broken events', () => {
    const schemas = artifacts.filter((artifact) => artifact.kind === 'event-schema');
    expect(schemas.length).toBe(3 + 5 + 2);
    for (const artifact of schemas) {
      const schema = JSON.parse(artifact.content);
      const validate = compile(artifact.content);
      const blueprint = loadBlueprint(schema.$id.split(':')[2]);
      const module = blueprint.spec.modules.find((candidate) => candidate.name === schema['x-factory'].module)!;
      const sample = sampleEvent(module, schema.title, schema['x-factory'].external);
      expect({ event: schema.title, valid: validate(sample), errors: validate.errors }).toEqual({ event: schema.title, valid: true, errors: null });
      expect(validate({ ...sample, specversion: '0.3' })).toBe(false);
      expect(validate({ ...sample, source: 'somewhere' })).toBe(false);
      const { tenantid: _dropped, ...withoutTenant } = sample;
      expect(validate(withoutTenant)).toBe(false);
      if (!schema['x-factory'].external) {
        expect(validate({ ...sample, data: { ...(sample.data as object), id: 'not-a-uuid' } })).toBe(false);
        expect(validate({ ...sample, data: { ...(sample.data as object), extra: 1 } })).toBe(false);
      }
    }
  });

  test('an event consumed from outside the blueprint gets an open placeholder marked external', () => {
    const schema = JSON.parse(artifactNamed(artifacts, 'reminder-scheduler/events/CalendarSynced.v1.schema.json').content);
    expect(schema['x-factory']).toEqual({ module: 'ReminderScheduler', role: 'consumed', external: true, dataRule: 'external' });
    const validate = compile(JSON.stringify(schema));
    const event = { ...sampleEvent(loadBlueprint('reminders').spec.modules[0], 'CalendarSynced.v1', true), data: { anything: ['goes'] } };
    expect(validate(event)).toBe(true);
    expect(validate({ ...event, type: 'ReminderDue.v1' })).toBe(false);
  });
});
