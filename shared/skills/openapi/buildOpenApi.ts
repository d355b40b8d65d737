import type { Blueprint, BlueprintEntity, BlueprintModule } from '../../blueprints/schemas';
import { entityFields, toObjectSchema, type JsonSchema } from '../fieldSchemas';
import { collectionSegment, pluralize } from '../naming';

/** Error statuses every operation may answer, each with an RFC 9457 `Problem` body. */
const ERROR_STATUSES: Record<string, string> = {
  '400': 'The request is malformed or fails validation.',
  '404': 'No such resource.',
  '401': 'No valid Entra ID bearer token (only when the module\'s api asks for auth: entra).',
  '409': 'The request conflicts with the current state (a duplicate id).',
  '412': 'If-Match names a version that is no longer current.',
  '500': 'An unexpected error; the traceId locates it in the logs.',
};

const PROBLEM_SCHEMA: JsonSchema = {
  type: 'object',
  description: 'RFC 9457 problem details.',
  properties: {
    type: { type: 'string', format: 'uri-reference' },
    title: { type: 'string' },
    status: { type: 'integer', minimum: 400, maximum: 599 },
    detail: { type: 'string' },
    instance: { type: 'string', format: 'uri-reference' },
    errors: {
      type: 'array',
      items: { type: 'object', properties: { path: { type: 'string' }, message: { type: 'string' } }, required: ['path', 'message'] },
    },
    traceId: { type: 'string' },
  },
  required: ['type', 'title', 'status'],
};

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const json = (schema: JsonSchema) => ({ 'application/json': { schema } });

function errorResponses(statuses: string[]): Record<string, unknown> {
  return Object.fromEntries(statuses.map((status) => [status, { $ref: `#/components/responses/Problem${status}` }]));
}

function entityOperations(entity: BlueprintEntity, version: string) {
  const name = entity.name;
  const suffix = version.toUpperCase();
  const plural = pluralize(name);
  const tags = [name];
  const idParam = { $ref: '#/components/parameters/Id' };
  const ifMatch = { $ref: '#/components/parameters/IfMatch' };
  const collection = {
    get: {
      operationId: `list${plural}${suffix}`,
      summary: `List ${plural}, one page at a time.`,
      tags,
      parameters: [{ $ref: '#/components/parameters/Limit' }, { $ref: '#/components/parameters/Continuation' }],
      responses: { '200': { description: `A page of ${plural}.`, content: json(ref(`${name}Page`)) }, ...errorResponses(['400', '500']) },
    },
    post: {
      operationId: `create${name}${suffix}`,
      summary: `Create a new ${name}.`,
      tags,
      requestBody: { required: true, content: json(ref(`${name}Input`)) },
      responses: { '201': { description: `The created ${name}.`, content: json(ref(name)) }, ...errorResponses(['400', '409', '500']) },
    },
  };
  const item = {
    parameters: [idParam],
    get: {
      operationId: `get${name}${suffix}`,
      summary: `Read one ${name}.`,
      tags,
      responses: { '200': { description: `The ${name}.`, content: json(ref(name)) }, ...errorResponses(['400', '404', '500']) },
    },
    put: {
      operationId: `update${name}${suffix}`,
      summary: `Replace the fields of one ${name}.`,
      tags,
      parameters: [ifMatch],
      requestBody: { required: true, content: json(ref(`${name}Input`)) },
      responses: { '200': { description: `The updated ${name}.`, content: json(ref(name)) }, ...errorResponses(['400', '404', '412', '500']) },
    },
    delete: {
      operationId: `delete${name}${suffix}`,
      summary: `Delete one ${name}.`,
      tags,
      parameters: [ifMatch],
      responses: { '204': { description: 'Deleted.' }, ...errorResponses(['400', '404', '412', '500']) },
    },
  };
  return { collection, item };
}

/** The operations behind Entra ID: a bearer token is required and its absence answers 401. */
function secured<T extends Record<string, Record<string, unknown>>>(paths: T): T {
  const out: Record<string, Record<string, unknown>> = {};
  for (const [name, item] of Object.entries(paths)) {
    out[name] = Object.fromEntries(
      Object.entries(item).map(([method, operation]) => {
        if (method === 'parameters') return [method, operation];
        const op = operation as { responses: Record<string, unknown> };
        return [method, { ...op, security: [{ entra: [] }], responses: { ...op.responses, ...errorResponses(['401']) } }];
      }),
    );
  }
  return out as T;
}

/** The path of an entity collection: `{routePrefix}/{version}/{entity-plural}`. */
export function collectionPath(routePrefix: string, version: string, entity: string): string {
  return `${routePrefix}/${version}/${collectionSegment(entity)}`;
}

function healthPaths() {
  const probe = (operationId: string, summary: string) => ({
    get: {
      operationId,
      summary,
      tags: ['operations'],
      responses: {
        '200': { description: 'Healthy.', content: json({ type: 'object', properties: { status: { type: 'string', const: 'ok' } }, required: ['status'] }) },
        '503': { $ref: '#/components/responses/Problem503' },
      },
    },
  });
  return { '/health/live': probe('getLiveness', 'Liveness: the process runs.'), '/health/ready': probe('getReadiness', 'Readiness: the store and the broker answer.') };
}

function entitySchemas(entity: BlueprintEntity): Record<string, JsonSchema> {
  const fields = entityFields(entity);
  return {
    [entity.name]: { ...toObjectSchema(fields, true), ...(entity.description ? { description: entity.description } : {}) },
    [`${entity.name}Input`]: toObjectSchema(
      fields.filter((field) => !field.implicit),
      false,
    ),
    [`${entity.name}Page`]: {
      type: 'object',
      properties: { items: { type: 'array', items: ref(entity.name) }, continuation: { type: 'string', description: 'Pass as ?continuation= to read the next page; absent on the last page.' } },
      required: ['items'],
      additionalProperties: false,
    },
  };
}

function components(module: BlueprintModule) {
  const schemas: Record<string, JsonSchema> = { Problem: PROBLEM_SCHEMA };
  for (const entity of module.entities) Object.assign(schemas, entitySchemas(entity));
  const responses: Record<string, unknown> = {};
  const auth = module.api?.auth === 'entra';
  for (const [status, description] of Object.entries({ ...ERROR_STATUSES, '503': 'Not ready.' })) {
    if (status === '401' && !auth) continue;
    responses[`Problem${status}`] = { description, content: { 'application/problem+json': { schema: ref('Problem') } } };
  }
  const parameters = {
    Id: { name: 'id', in: 'path', required: true, schema: { type: 'string', format: 'uuid' } },
    Limit: { name: 'limit', in: 'query', required: false, schema: { type: 'integer', minimum: 1, maximum: 100, default: 20 } },
    Continuation: { name: 'continuation', in: 'query', required: false, schema: { type: 'string' }, description: 'The token of the previous page.' },
    IfMatch: { name: 'If-Match', in: 'header', required: false, schema: { type: 'string' }, description: 'The ETag last read; a stale one answers 412.' },
  };
  const securitySchemes = auth ? { entra: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: 'An Entra ID access token for the audience the service is configured with (AUTH_AUDIENCE).' } } : undefined;
  return { schemas, responses, parameters, ...(securitySchemes ? { securitySchemes } : {}) };
}

/**
 * The OpenAPI 3.1 document of a module: CRUD per entity under every API version, the health probes
 * every generated service answers, and problem+json errors. Modules without `api`, workers and gateways get only the probes.
 */
export function toOpenApiDocument(blueprint: Blueprint, module: BlueprintModule): Record<string, unknown> {
  const paths: Record<string, unknown> = {};
  // Workers take no requests (their input is their subscriptions) and gateways route to other contracts.
  const served = module.kind === 'worker' || module.kind === 'gateway' ? [] : (module.api?.versions ?? []);
  for (const version of served) {
    for (const entity of module.entities) {
      const { collection, item } = module.api?.auth === 'entra' ? secured(entityOperations(entity, version)) : entityOperations(entity, version);
      const base = collectionPath(module.api!.routePrefix, version, entity.name);
      paths[base] = collection;
      paths[`${base}/{id}`] = item;
    }
  }
  Object.assign(paths, healthPaths());
  const versions = module.api?.versions ?? [];
  return {
    openapi: '3.1.0',
    info: {
      title: `${module.name} API`,
      version: versions.length ? versions[versions.length - 1] : 'v0',
      description: module.description ?? `The ${module.name} ${module.kind} of ${blueprint.metadata.name}.`,
    },
    servers: [{ url: '/' }],
    tags: [...module.entities.map((entity) => ({ name: entity.name })), { name: 'operations' }],
    paths,
    components: components(module),
    'x-factory': { blueprint: blueprint.metadata.name, module: module.name, kind: module.kind },
  };
}
