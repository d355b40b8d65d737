import { collectionSegment, eventSlug, kebabCase, openApiSchemaNames, OPENAPI_FIXED_SCHEMAS } from './normalize';
import { formatPath, type LocatedProblem, type PathSegments } from './problems';
import { asList, asObject, asText, textEntries, type ModuleView, type RawObject } from './rawDocument';
import { NAME_RULES } from './schemas';
import { BICEP_UNIQUE_STRING_LENGTH, KUBERNETES_NAME_SUFFIXES, NAME_TARGETS } from './targets';

/**
 * Field names that break generated code: members every JavaScript object inherits (`constructor`
 * would read `Object.prototype.constructor`, `__proto__` would set the prototype), `then` (a
 * record with it is taken for a promise), and ECMAScript reserved words (strict mode and future).
 */
export const RESERVED_FIELD_NAMES: ReadonlySet<string> = new Set([
  ...Object.getOwnPropertyNames(Object.prototype),
  'then',
  ...'break case catch class const continue debugger default delete do else enum export extends false finally for function if import in instanceof new null return super switch this throw true try typeof var void while with yield let static implements interface package private protected public await arguments eval undefined NaN Infinity'.split(' '),
]);

/**
 * Entity names the generated code or contract already uses: the contract's `Problem` schema, the
 * service's `EntityRecord` and `FieldSpec`, and the global types generated TypeScript refers to.
 */
export const RESERVED_ENTITY_NAMES: ReadonlySet<string> = new Set([
  ...OPENAPI_FIXED_SCHEMAS,
  'EntityRecord',
  'FieldSpec',
  ...'Object Array ReadonlyArray String Number Boolean Symbol BigInt Function Promise Date Error Map Set WeakMap JSON Math Record Partial Omit Pick Readonly Required Buffer Uint8Array'.split(' '),
]);

/** Module folders the project repository uses itself (`docs/vision.md`, `release/manifest.json`). */
export const RESERVED_MODULE_FOLDERS: ReadonlySet<string> = new Set(['docs', 'release']);

const DEFAULT_LONGEST_ENVIRONMENT = 'production';
const CONTAINER_APP_KINDS = new Set(['microservice', 'worker', 'gateway']);

interface Named {
  path: PathSegments;
  name: string;
}

/**
 * The name rules (README "Blueprints"): names that would collide after any normalization the
 * generators apply (case, kebab-case, plural, OpenAPI schema names, truncation to an Azure limit),
 * names longer than a target allows (`NAME_TARGETS`), and reserved names. Only names that pass their
 * pattern are checked; the schema reports the others.
 */
export function checkNames(document: unknown, spec: RawObject, modules: readonly ModuleView[]): LocatedProblem[] {
  const environments = textEntries(spec.environments).map((entry) => entry.text);
  const longestEnvironment = environments.reduce((longest, env) => (env.length > longest.length ? env : longest), environments.length ? '' : DEFAULT_LONGEST_ENVIRONMENT);
  const named = modules.flatMap((module) => (module.name && NAME_RULES.module.test(module.name) ? [{ module, path: [...module.path, 'name'], name: module.name }] : []));
  return firstCollisionPerPath([
    ...collisions(named, (name) => [kebabCase(name), name.toLowerCase()], 'Module', 'its folder, Kubernetes and Azure names'),
    ...named.flatMap(({ module, path, name }) => moduleNameProblems(module, path, name, longestEnvironment)),
    ...containerAppCollisions(named.filter(({ module }) => CONTAINER_APP_KINDS.has(String(module.raw.kind))), environments),
    ...modules.flatMap(entityNameProblems),
    ...eventNameProblems(modules),
    ...blueprintNameProblems(document, modules, longestEnvironment),
  ]);
}

/** One collision per name is enough to act on; the first found is the most direct. */
function firstCollisionPerPath(problems: LocatedProblem[]): LocatedProblem[] {
  const seen = new Set<string>();
  return problems.filter((problem) => {
    if (problem.code !== 'NameCollision') return true;
    const key = formatPath(problem.path);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function moduleNameProblems(module: ModuleView, path: PathSegments, name: string, longestEnvironment: string): LocatedProblem[] {
  const kebab = kebabCase(name);
  const problems: LocatedProblem[] = [];
  if (RESERVED_MODULE_FOLDERS.has(kebab)) problems.push({ path, code: 'ReservedName', message: `Module '${name}' would generate into '${kebab}/', which the project repository uses itself; choose another name.` });
  const longestSuffix = Math.max(...KUBERNETES_NAME_SUFFIXES.map((suffix) => suffix.length));
  tooLong(problems, path, name, kebab.length + longestSuffix, NAME_TARGETS.kubernetesName, `Kubernetes names ('${short(kebab)}-environment')`);
  if (usesServiceBus(module)) tooLong(problems, path, name, kebab.length, NAME_TARGETS.serviceBusSubscription, `Service Bus subscription names ('${short(kebab)}')`);
  if (module.raw.kind === 'function') tooLong(problems, path, name, `plan-${kebab}-${longestEnvironment}`.length, NAME_TARGETS.appServicePlanName, 'Azure App Service plan names');
  return problems;
}

/** Container App names are `take('{module}-{environment}', 32)`: distinct after the cut, never ending in '-'. */
function containerAppCollisions(named: readonly (Named & { module: ModuleView })[], environments: readonly string[]): LocatedProblem[] {
  const problems: LocatedProblem[] = [];
  for (const environment of environments.length ? environments : [DEFAULT_LONGEST_ENVIRONMENT]) {
    const first = new Map<string, Named>();
    for (const entry of named) {
      const appName = `${kebabCase(entry.name)}-${environment}`.slice(0, NAME_TARGETS.containerAppName);
      const earlier = first.get(appName);
      if (appName.endsWith('-')) {
        problems.push({ path: entry.path, code: 'NameTooLong', message: `Module '${entry.name}' gives the Container App name '${appName}' in ${environment} (cut to ${NAME_TARGETS.containerAppName} characters), which ends in '-'; shorten or rename it.` });
      } else if (earlier && earlier.name !== entry.name) {
        problems.push({ path: entry.path, code: 'NameCollision', message: `Module '${entry.name}' and '${earlier.name}' at ${formatPath(earlier.path)} give the same Container App name '${appName}' in ${environment} (names are cut to ${NAME_TARGETS.containerAppName} characters); make them differ earlier.` });
      } else if (!earlier) first.set(appName, entry);
    }
  }
  return problems;
}

function entityNameProblems(module: ModuleView): LocatedProblem[] {
  const entities = asList(module.raw.entities).flatMap((value, index) => {
    const raw = asObject(value);
    const name = asText(raw?.name);
    return raw && name && NAME_RULES.entity.test(name) ? [{ path: [...module.path, 'entities', index, 'name'], name, raw, index }] : [];
  });
  const folder = module.name ? kebabCase(module.name) : 'module';
  const problems: LocatedProblem[] = [
    ...collisions(entities, (name) => [kebabCase(name), name.toLowerCase()], 'Entity', 'its source and test file names'),
    ...collisions(entities, (name) => [collectionSegment(name)], 'Entity', 'the route and Cosmos container of its collection'),
    ...collisions(entities, (name) => openApiSchemaNames(name).map((schema) => schema.toLowerCase()), 'Entity', 'its OpenAPI schemas (Entity, EntityInput, EntityPage)'),
  ];
  for (const entity of entities) {
    if (RESERVED_ENTITY_NAMES.has(entity.name)) {
      problems.push({ path: entity.path, code: 'ReservedName', message: `Entity name '${entity.name}' is reserved: the generated contract or code already declares it; choose another name.` });
    }
    const kebab = kebabCase(entity.name);
    tooLong(problems, entity.path, entity.name, collectionSegment(entity.name).length, NAME_TARGETS.cosmosId, 'Cosmos DB container ids and route segments');
    tooLong(problems, entity.path, entity.name, `${folder}/src/entities/${kebab}.test.ts`.length, NAME_TARGETS.artifactPath, 'artifact paths');
    problems.push(...fieldNameProblems(module, entity.raw, [...module.path, 'entities', entity.index, 'fields']));
  }
  return problems;
}

const IMPLICIT = ['id', 'createdAt', 'updatedAt'];

function fieldNameProblems(module: ModuleView, entity: RawObject, path: PathSegments): LocatedProblem[] {
  const fields = Object.keys(asObject(entity.fields) ?? {});
  const problems: LocatedProblem[] = [];
  for (const field of fields) {
    if (RESERVED_FIELD_NAMES.has(field)) problems.push({ path: [...path, field], code: 'ReservedField', message: reservedFieldMessage(field) });
  }
  const valid = fields.filter((field) => NAME_RULES.field.test(field) && !RESERVED_FIELD_NAMES.has(field) && !IMPLICIT.includes(field));
  const implicit = IMPLICIT.map((field) => ({ path: [...path, field], name: field }));
  const declared = valid.map((field) => ({ path: [...path, field], name: field }));
  problems.push(...collisions([...implicit, ...declared], (name) => [name.toLowerCase()], 'Field', 'its column in case-insensitive stores (Azure SQL, PostgreSQL)').filter((problem) => !IMPLICIT.includes(String(problem.path[problem.path.length - 1]))));
  const database = asText(asObject(module.raw.infrastructure)?.database);
  const limit = database === 'postgresql' ? NAME_TARGETS.postgresqlIdentifier : database === 'azure-sql' ? NAME_TARGETS.azureSqlIdentifier : undefined;
  for (const field of limit ? valid : []) tooLong(problems, [...path, field], field, field.length, limit!, `${database} column names`);
  return problems;
}

function reservedFieldMessage(field: string): string {
  if (Object.prototype.hasOwnProperty.call(Object.prototype, field)) return `Field '${field}' is reserved: every JavaScript object inherits it from Object.prototype, so generated code would read or overwrite the inherited member.`;
  if (field === 'then') return `Field 'then' is reserved: a record with a 'then' member is taken for a promise by generated code.`;
  return `Field '${field}' is reserved: it is a JavaScript reserved word.`;
}

/** Distinct emitted events must not share a topic (`OrderPlaced.v1` and `ORDERPlaced.v1` → `order-placed-v1`). */
function eventNameProblems(modules: readonly ModuleView[]): LocatedProblem[] {
  const emitted = modules.flatMap((module) =>
    textEntries(asObject(module.raw.events)?.emits).flatMap(({ index, text }) => (NAME_RULES.event.test(text) ? [{ path: [...module.path, 'events', 'emits', index], name: text }] : [])),
  );
  const distinct = [...new Map(emitted.map((entry) => [entry.name, entry])).values()];
  const problems = collisions(distinct, (name) => [eventSlug(name), name.toLowerCase()], 'Event', 'its Service Bus topic and schema file');
  for (const entry of distinct) tooLong(problems, entry.path, entry.name, eventSlug(entry.name).length, NAME_TARGETS.serviceBusEntity, 'Service Bus topic names');
  return problems;
}

/** The default Service Bus namespace name, `sb-{blueprint}-{environment}-{uniqueString}`, carries the blueprint name. */
function blueprintNameProblems(document: unknown, modules: readonly ModuleView[], longestEnvironment: string): LocatedProblem[] {
  const name = asText(asObject(asObject(document)?.metadata)?.name);
  if (!name || !NAME_RULES.blueprint.test(name) || !modules.some(usesServiceBus)) return [];
  const problems: LocatedProblem[] = [];
  const length = `sb-${name}-${longestEnvironment}-`.length + BICEP_UNIQUE_STRING_LENGTH;
  tooLong(problems, ['metadata', 'name'], name, length, NAME_TARGETS.serviceBusNamespace, 'Service Bus namespace names');
  return problems;
}

/** Whether the module's messaging is Service Bus (explicitly, or by default because it has events). */
export function usesServiceBus(module: ModuleView): boolean {
  const queue = asText(asObject(module.raw.infrastructure)?.queue);
  if (queue !== undefined) return queue === 'azure-service-bus';
  const events = asObject(module.raw.events);
  return ['emits', 'consumes'].some((list) => asList(events?.[list]).length > 0);
}

/**
 * A problem for every entry whose normalized forms meet an earlier entry's (entries with the same
 * name are the duplicate checks' business).
 */
function collisions(entries: readonly Named[], keys: (name: string) => string[], what: string, where: string): LocatedProblem[] {
  const first = new Map<string, Named>();
  const problems: LocatedProblem[] = [];
  for (const entry of entries) {
    const keysOf = [...new Set(keys(entry.name))];
    const earlier = keysOf.map((key) => first.get(key)).find((other) => other && other.name !== entry.name);
    if (earlier) {
      const key = keysOf.find((candidate) => first.get(candidate) === earlier)!;
      problems.push({ path: entry.path, code: 'NameCollision', message: `${what} '${short(entry.name)}' collides with '${short(earlier.name)}' at ${formatPath(earlier.path)}: both become '${short(key)}' in ${where}; rename one.` });
      continue;
    }
    for (const key of keysOf) if (!first.has(key)) first.set(key, entry);
  }
  return problems;
}

function tooLong(problems: LocatedProblem[], path: PathSegments, name: string, length: number, limit: number, target: string): void {
  if (length <= limit) return;
  problems.push({ path, code: 'NameTooLong', message: `'${short(name)}' gives ${length}-character ${target}; the limit is ${limit}. Shorten it by ${length - limit}.` });
}

function short(text: string): string {
  return text.length > 60 ? `${text.slice(0, 57)}…` : text;
}
