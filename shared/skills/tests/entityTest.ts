import type { EntityModel, ServiceModel } from '../service/model';
import { eventsOn } from '../service/model';
import { entitiesKey } from '../service/appFile';
import { changedValue, invalidValue, sampleValue } from './values';

const literal = (value: unknown) => JSON.stringify(value);

function eventTests(model: ServiceModel, entity: EntityModel): string[] {
  const tests: string[] = [];
  const actions = { create: 'creating', update: 'replacing', delete: 'deleting' } as const;
  for (const action of ['create', 'update', 'delete'] as const) {
    for (const type of eventsOn(model, entity.name, action)) {
      const act =
        action === 'create' ? '' : action === 'update' ? `\n    assert.equal((await driver.update(id, CHANGED)).status, 200);` : `\n    assert.equal((await driver.remove(id)).status, 204);`;
      tests.push(`
  it('publishes ${type} as a CloudEvent on ${actions[action]} a ${entity.name}', async () => {
    const id: string = (await driver.create(VALID)).body.id;${act}
    const events = service.outbox.published.filter((event) => event.type === '${type}');
    assert.equal(events.length, 1);
    const [event] = events;
    assert.equal(event.specversion, '1.0');
    assert.match(event.id, UUID);
    assert.equal(event.source, '/tenants/local/projects/${model.blueprint}');
    assert.equal(event.tenantid, 'local');
    assert.equal(event.projectid, '${model.blueprint}');
    assert.match(event.traceid, /^[0-9a-f]{32}$/);
    assert.equal(event.subject, id);
    assert.equal(event.datacontenttype, 'application/json');
    assert.ok(!Number.isNaN(Date.parse(event.time)));
    assert.equal((event.data as { id: string }).id, id);
  });`);
    }
  }
  return tests;
}

function httpOnlyTests(path: string): string {
  return `
  it('answers problem+json, 400 for bad paging parameters and malformed bodies', async () => {
    const limit = await request(base, 'GET', '${path}?limit=0');
    assert.equal(limit.status, 400);
    assert.match(String(limit.headers['content-type']), /^application\\/problem\\+json/);
    assert.deepEqual(limit.body.errors.map((error: { path: string }) => error.path), ['limit']);
    const token = await request(base, 'GET', '${path}?continuation=bogus');
    assert.deepEqual(token.body.errors.map((error: { path: string }) => error.path), ['continuation']);
    const malformed = await request(base, 'POST', '${path}', '{not json');
    assert.equal(malformed.status, 400);
    const created = await request(base, 'POST', '${path}', VALID);
    assert.equal(created.headers.location, '${path}/' + created.body.id);
  });

  it('answers 409 to a stale If-Match', async () => {
    const created = await request(base, 'POST', '${path}', VALID);
    const stale = await driver.update(created.body.id, CHANGED, '"stale"');
    assert.equal(stale.status, 409);
    const current = await driver.update(created.body.id, CHANGED, String(created.headers.etag));
    assert.equal(current.status, 200);
  });`;
}

/** `test/<entity>.test.ts`: CRUD, paging, validation paths, 404s and emitted events of one entity. */
export function entityTestTs(model: ServiceModel, entity: EntityModel): string {
  const valid = Object.fromEntries(entity.fields.map((field) => [field.name, sampleValue(field.type)]));
  const first = entity.fields[0];
  const changed = first ? { ...valid, [first.name]: changedValue(first.type) } : valid;
  const required = entity.fields.filter((field) => !field.type.optional).map((field) => `/${field.name}`);
  const path = model.api ? `${model.api.routePrefix}/${model.api.versions[0]}/${entity.collection}` : undefined;
  const setup = path ? `({ service, base } = await startService());\n    driver = httpDriver(base, '${path}');` : `({ service, base } = await startService());\n    driver = directDriver(service.entities.${entitiesKey(entity.name)});`;
  const wrongType = first
    ? `
    const wrong = await driver.create({ ...VALID, ${first.name}: ${literal(invalidValue(first.type))} });
    assert.equal(wrong.status, 400);
    assert.deepEqual(paths(wrong), ['/${first.name}']);`
    : '';
  return `import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import type { Service } from '../src/app';
import { UUID, directDriver, httpDriver, request, startService, type Driver, type Reply } from './support';

const VALID: Record<string, unknown> = ${literal(valid)};
const CHANGED: Record<string, unknown> = ${literal(changed)};

const paths = (reply: Reply): string[] => reply.body.errors.map((error: { path: string }) => error.path);

describe('${entity.name}${path ? ` at ${path}` : ' (no HTTP API: through its EntityService)'}', () => {
  let service: Service;
  let base: string;
  let driver: Driver;

  beforeEach(async () => {
    ${setup}
  });

  afterEach(async () => {
    await service.stop();
  });

  it('creates a ${entity.name} and reads it back', async () => {
    const created = await driver.create(VALID);
    assert.equal(created.status, 201);
    assert.match(created.body.id, UUID);
    assert.ok(!Number.isNaN(Date.parse(created.body.createdAt)));
    for (const [name, value] of Object.entries(VALID)) assert.deepEqual(created.body[name], value, name);
    const read = await driver.get(created.body.id);
    assert.equal(read.status, 200);
    assert.deepEqual(read.body, created.body);
  });

  it('lists ${entity.name} entities a page at a time', async () => {
    const ids: string[] = [];
    for (let index = 0; index < 3; index++) ids.push((await driver.create(VALID)).body.id);
    const first = await driver.list(2);
    assert.equal(first.status, 200);
    assert.equal(first.body.items.length, 2);
    assert.equal(typeof first.body.continuation, 'string');
    const second = await driver.list(2, first.body.continuation);
    assert.equal(second.body.items.length, 1);
    assert.equal(second.body.continuation, undefined);
    const listed = [...first.body.items, ...second.body.items].map((item: { id: string }) => item.id);
    assert.deepEqual(listed.sort(), ids.sort());
  });

  it('replaces a ${entity.name}', async () => {
    const created = await driver.create(VALID);
    const replaced = await driver.update(created.body.id, CHANGED);
    assert.equal(replaced.status, 200);
    for (const [name, value] of Object.entries(CHANGED)) assert.deepEqual(replaced.body[name], value, name);
    assert.equal(replaced.body.createdAt, created.body.createdAt);
    assert.deepEqual((await driver.get(created.body.id)).body, replaced.body);
  });

  it('deletes a ${entity.name}', async () => {
    const created = await driver.create(VALID);
    assert.equal((await driver.remove(created.body.id)).status, 204);
    assert.equal((await driver.get(created.body.id)).status, 404);
    assert.equal((await driver.remove(created.body.id)).status, 404);
  });

  it('answers 404 for an unknown ${entity.name} and 400 for a malformed id', async () => {
    const missing = await driver.get('00000000-0000-4000-8000-00000000ffff');
    assert.equal(missing.status, 404);
    assert.equal(missing.body.status, 404);
    assert.equal((await driver.update('00000000-0000-4000-8000-00000000ffff', VALID)).status, 404);
    assert.equal((await driver.get('not-an-id')).status, 400);
  });

  it('rejects an invalid ${entity.name} with 400 and the path of each problem', async () => {
    const empty = await driver.create({});
    assert.equal(empty.status, ${required.length ? 400 : 201});
    ${required.length ? `assert.deepEqual(paths(empty), ${literal(required)});` : ''}${wrongType}
    const unknown = await driver.create({ ...VALID, 'x-unknown': 1, id: '00000000-0000-4000-8000-000000000009' });
    assert.equal(unknown.status, 400);
    assert.deepEqual(paths(unknown), ['/id', '/x-unknown']);
    const notObject = await driver.create([VALID]);
    assert.equal(notObject.status, 400);
  });
${path ? httpOnlyTests(path) : ''}${eventTests(model, entity).join('\n')}
});
`;
}
