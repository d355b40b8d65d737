import { z } from 'zod';
import { PROBLEM_CONTENT_TYPE, problemDetailsSchema } from './problemDetails';
import type { RouteDefinition } from './route';

type JsonSchema = Record<string, unknown>;

/** An OpenAPI 3.1 document (only the parts the factory produces are typed loosely). */
export interface OpenApiDocument {
  openapi: '3.1.0';
  info: { title: string; version: string; description?: string };
  servers: { url: string }[];
  paths: Record<string, Record<string, unknown>>;
  components: { schemas: Record<string, JsonSchema>; securitySchemes: Record<string, unknown> };
  tags: { name: string }[];
}

const PROBLEM_REF = { $ref: '#/components/schemas/ProblemDetails' };
const ERROR_DESCRIPTIONS: Record<number, string> = {
  400: 'Invalid request: every problem is listed in `errors` with its path',
  401: 'Missing, unknown, expired or revoked credentials',
  403: 'The caller lacks a required role',
  404: 'Not found (also for resources of another tenant)',
  413: 'Request body over the size limit',
  500: 'Unexpected error; quote the traceId',
};

/**
 * The OpenAPI 3.1 document of `routes`, generated from the same zod schemas the wrapper validates
 * with. Paths are under `/api`; errors are `application/problem+json`; non-anonymous routes need a
 * bearer token (factory API key or Entra ID JWT).
 */
export function buildOpenApi(routes: readonly RouteDefinition[], info: Partial<OpenApiDocument['info']> = {}): OpenApiDocument {
  const schemas: Record<string, JsonSchema> = {};
  const paths: OpenApiDocument['paths'] = {};
  toJsonSchema(problemDetailsSchema, 'output', schemas);
  // Response (output) forms first, so named schemas keep their plain name for responses.
  for (const route of routes) for (const r of Object.values(route.responses)) if (typeof r !== 'string') toJsonSchema(r, 'output', schemas);
  for (const route of routes) {
    const path = `/api/${toOpenApiPath(route.path)}`;
    paths[path] = { ...paths[path], [route.method.toLowerCase()]: toOperation(route, schemas) };
  }
  return {
    openapi: '3.1.0',
    info: { title: 'Software Factory API', version: '0.1.0', ...info },
    servers: [{ url: '/' }],
    paths,
    components: {
      schemas,
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer', description: 'Factory API key (sf_…) or Entra ID access token' } },
    },
    tags: [...new Set(routes.flatMap((r) => r.tags))].sort().map((name) => ({ name })),
  };
}

/** `tenants/{tenantId:regex(...)}/items/{id?}` → `tenants/{tenantId}/items/{id}`. */
export function toOpenApiPath(template: string): string {
  return template.replace(/^\/+/, '').replace(/\{\*?([A-Za-z0-9_]+)[^}]*\}/g, '{$1}');
}

function toOperation(route: RouteDefinition, schemas: Record<string, JsonSchema>): Record<string, unknown> {
  const responses: Record<string, unknown> = {};
  for (const [status, response] of Object.entries(route.responses)) {
    responses[status] =
      typeof response === 'string'
        ? Number(status) >= 400
          ? { description: response, content: { [PROBLEM_CONTENT_TYPE]: { schema: PROBLEM_REF } } }
          : { description: response }
        : { description: response.description ?? 'Success', content: { 'application/json': { schema: toJsonSchema(response, 'output', schemas) } } };
  }
  const errorStatuses = [
    ...(route.params || route.query || route.body ? [400] : []),
    ...(route.auth === 'anonymous' ? [] : [401, 403, 404]),
    ...(route.body ? [413] : []),
    500,
  ];
  for (const status of errorStatuses) {
    responses[status] ??= { description: ERROR_DESCRIPTIONS[status], content: { [PROBLEM_CONTENT_TYPE]: { schema: PROBLEM_REF } } };
  }
  return {
    operationId: route.operationId,
    summary: route.summary,
    ...(route.description ? { description: route.description } : {}),
    tags: route.tags,
    security: route.auth === 'anonymous' ? [] : [{ bearer: [] }],
    ...(route.auth !== 'anonymous' ? { 'x-roles': route.auth.roles } : {}),
    parameters: [...pathParameters(route, schemas), ...queryParameters(route, schemas)],
    ...(route.body ? { requestBody: requestBody(route, schemas) } : {}),
    responses,
  };
}

function pathParameters(route: RouteDefinition, schemas: Record<string, JsonSchema>): unknown[] {
  const properties = objectProperties(route.params, schemas).properties;
  const names = [...toOpenApiPath(route.path).matchAll(/\{([^}]+)\}/g)].map((m) => m[1]);
  return names.map((name) => ({ name, in: 'path', required: true, schema: properties[name] ?? { type: 'string' } }));
}

function queryParameters(route: RouteDefinition, schemas: Record<string, JsonSchema>): unknown[] {
  const { properties, required } = objectProperties(route.query, schemas);
  return Object.entries(properties).map(([name, schema]) => ({ name, in: 'query', required: required.includes(name), schema }));
}

function requestBody(route: RouteDefinition, schemas: Record<string, JsonSchema>): unknown {
  const schema = toJsonSchema(route.body as z.ZodType, 'input', schemas);
  const content: Record<string, unknown> = { 'application/json': { schema } };
  if (route.bodyFormat === 'json-or-yaml') content['application/yaml'] = { schema };
  return { required: !(route.body as z.ZodType).safeParse(undefined).success, content };
}

function objectProperties(schema: unknown, schemas: Record<string, JsonSchema>): { properties: Record<string, JsonSchema>; required: string[] } {
  if (!schema) return { properties: {}, required: [] };
  const json = toJsonSchema(schema as z.ZodType, 'input', schemas);
  return { properties: (json.properties ?? {}) as Record<string, JsonSchema>, required: (json.required ?? []) as string[] };
}

/**
 * JSON Schema 2020-12 of a zod schema, with named sub-schemas (`.meta({ id })`) moved to components.
 * A named schema whose request (input) form differs from its response form gets an `Input` suffix.
 */
function toJsonSchema(schema: z.ZodType, io: 'input' | 'output', components: Record<string, JsonSchema>): JsonSchema {
  const json = z.toJSONSchema(schema, { target: 'draft-2020-12', io, unrepresentable: 'any' }) as JsonSchema;
  const { $schema: _schema, $defs = {}, ...root } = json as JsonSchema & { $defs?: Record<string, JsonSchema> };
  const names = new Map<string, string>();
  for (const [name, def] of Object.entries($defs)) {
    const existing = components[name];
    names.set(name, existing && JSON.stringify(existing) !== JSON.stringify(rewriteRefs(def, new Map())) && io === 'input' ? `${name}Input` : name);
  }
  for (const [name, def] of Object.entries($defs)) components[names.get(name)!] = rewriteRefs(def, names) as JsonSchema;
  return rewriteRefs(root, names) as JsonSchema;
}

function rewriteRefs(value: unknown, names: Map<string, string>): unknown {
  if (Array.isArray(value)) return value.map((item) => rewriteRefs(item, names));
  if (!value || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value).map(([key, field]) => [
      key,
      key === '$ref' && typeof field === 'string'
        ? field.replace(/^#\/\$defs\/(.+)$/, (_m, name: string) => `#/components/schemas/${names.get(name) ?? name}`)
        : rewriteRefs(field, names),
    ]),
  );
}
