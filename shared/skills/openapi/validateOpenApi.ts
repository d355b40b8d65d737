import { parse } from 'yaml';
import type { BlueprintModule } from '../../blueprints/schemas';
import { collectionPath } from './buildOpenApi';

type OpenApiValidator = typeof import('@seriousme/openapi-schema-validator');

let validatorModule: OpenApiValidator | undefined;

/**
 * `@seriousme/openapi-schema-validator` is ESM-only; Node ≥ 20.19 loads it with `require`. Asking
 * Node for `createRequire` keeps that working under jest, which replaces the CommonJS loader.
 */
function loadValidator(): OpenApiValidator {
  if (!validatorModule) {
    const nodeModule = process.getBuiltinModule?.('node:module') ?? (require('node:module') as typeof import('node:module'));
    validatorModule = nodeModule.createRequire(__filename)('@seriousme/openapi-schema-validator') as OpenApiValidator;
  }
  return validatorModule;
}

const METHODS = ['get', 'put', 'post', 'delete', 'patch'];

/**
 * Every failure of an OpenAPI document given as YAML text: the OpenAPI 3.1 schema (through
 * `@seriousme/openapi-schema-validator`), local `$ref`s that resolve, unique operationIds, problem+json
 * error responses on every operation and, given the module, CRUD paths for each entity and version.
 */
export async function validateOpenApiText(text: string, module?: BlueprintModule): Promise<string[]> {
  let document: Record<string, unknown>;
  try {
    document = parse(text) as Record<string, unknown>;
  } catch (error) {
    return [`not YAML: ${(error as Error).message}`];
  }
  if (document === null || typeof document !== 'object') return ['not a YAML mapping'];
  const failures: string[] = [];
  if (document.openapi !== '3.1.0') failures.push(`openapi is ${JSON.stringify(document.openapi)}, expected 3.1.0`);
  const { Validator } = loadValidator();
  const result = await new Validator().validate(structuredClone(document));
  if (!result.valid) {
    const errors = typeof result.errors === 'string' ? [result.errors] : (result.errors ?? []).map((error) => `${error.instancePath || '/'} ${error.message ?? error.keyword}`);
    failures.push(...errors.map((error) => `schema: ${error}`));
  }
  failures.push(...unresolvedRefs(document), ...operationFailures(document));
  if (module) failures.push(...missingPaths(document, module));
  return failures;
}

function unresolvedRefs(document: Record<string, unknown>): string[] {
  const failures: string[] = [];
  const visit = (value: unknown): void => {
    if (Array.isArray(value)) return value.forEach(visit);
    if (value === null || typeof value !== 'object') return;
    for (const [key, child] of Object.entries(value)) {
      if (key === '$ref' && typeof child === 'string' && resolvePointer(document, child) === undefined) failures.push(`unresolved $ref ${child}`);
      else visit(child);
    }
  };
  visit(document);
  return failures;
}

function resolvePointer(document: unknown, pointer: string): unknown {
  if (!pointer.startsWith('#/')) return undefined;
  return pointer
    .slice(2)
    .split('/')
    .map((part) => part.replace(/~1/g, '/').replace(/~0/g, '~'))
    .reduce<unknown>((node, part) => (node !== null && typeof node === 'object' ? (node as Record<string, unknown>)[part] : undefined), document);
}

function operationFailures(document: Record<string, unknown>): string[] {
  const failures: string[] = [];
  const seen = new Set<string>();
  for (const [path, item] of Object.entries((document.paths ?? {}) as Record<string, Record<string, unknown>>)) {
    for (const method of METHODS.filter((candidate) => candidate in item)) {
      const operation = item[method] as { operationId?: string; responses?: Record<string, unknown> };
      const where = `${method.toUpperCase()} ${path}`;
      if (!operation.operationId) failures.push(`${where} has no operationId`);
      else if (seen.has(operation.operationId)) failures.push(`operationId ${operation.operationId} is used twice`);
      else seen.add(operation.operationId);
      const errors = Object.keys(operation.responses ?? {}).filter((status) => /^[45]/.test(status));
      if (!errors.length) failures.push(`${where} declares no error response`);
      for (const status of errors) {
        const response = resolveResponse(document, operation.responses![status]);
        if (!response?.content?.['application/problem+json']) failures.push(`${where} ${status} is not application/problem+json`);
      }
    }
  }
  return failures;
}

function resolveResponse(document: Record<string, unknown>, response: unknown): { content?: Record<string, unknown> } | undefined {
  const value = response as { $ref?: string; content?: Record<string, unknown> };
  return value?.$ref ? (resolvePointer(document, value.$ref) as { content?: Record<string, unknown> } | undefined) : value;
}

function missingPaths(document: Record<string, unknown>, module: BlueprintModule): string[] {
  const paths = (document.paths ?? {}) as Record<string, Record<string, unknown>>;
  const failures: string[] = [];
  const served = module.kind === 'worker' || module.kind === 'gateway' ? [] : (module.api?.versions ?? []);
  for (const version of served) {
    for (const entity of module.entities) {
      const base = collectionPath(module.api!.routePrefix, version, entity.name);
      for (const [path, methods] of [[base, ['get', 'post']], [`${base}/{id}`, ['get', 'put', 'delete']]] as const) {
        for (const method of methods) if (!paths[path]?.[method]) failures.push(`missing ${method.toUpperCase()} ${path}`);
      }
    }
  }
  return failures;
}
