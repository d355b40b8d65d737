import { checkDependencies } from './dependencies';
import { checkEmitBindings, emittedEntries } from './emits';
import { IMPLICIT_FIELDS, parseFieldType, referencedEntities } from './fieldTypes';
import { checkNames } from './names';
import { formatPath, type LocatedProblem } from './problems';
import { checkSettings } from './settings';
import { asList, asObject, asText, moduleViews, repeatedEntries, textEntries, type ModuleView, type RawObject } from './rawDocument';

const VERSIONED = /\.v[0-9]+$/;

/**
 * The rules that span more than one value: unique names, references between modules, entities and
 * events, replica bounds and approval environments. They read the raw document, so they run even
 * where the schema found problems, over whatever parts are well-formed.
 */
export function checkSemantics(document: unknown): LocatedProblem[] {
  const spec = asObject(asObject(document)?.spec);
  if (!spec) return [];
  const modules = moduleViews(spec);
  return [
    ...repeatedEntries(
      textEntries(spec.environments).map(({ index, text }) => ({ path: ['spec', 'environments', index], text })),
      'DuplicateEnvironment',
      (text) => `Environment '${text}' is listed twice.`,
    ),
    ...repeatedEntries(
      modules.flatMap((module) => (module.name ? [{ path: [...module.path, 'name'], text: module.name }] : [])),
      'DuplicateModule',
      (text, first) => `Module name '${text}' is already used at ${formatPath(first)}.`,
    ),
    ...modules.flatMap(checkEntities),
    ...modules.flatMap(checkScaling),
    ...checkDependencies(modules),
    ...checkEvents(spec, modules),
    ...modules.flatMap(checkEmitBindings),
    ...checkApprovals(spec),
    ...checkNames(document, spec, modules),
    ...checkSettings(modules),
  ];
}

function checkEntities(module: ModuleView): LocatedProblem[] {
  const entities = asList(module.raw.entities).flatMap((value, index) => {
    const raw = asObject(value);
    return raw ? [{ path: [...module.path, 'entities', index], name: asText(raw.name), raw }] : [];
  });
  const names = new Set(entities.flatMap((entity) => (entity.name ? [entity.name] : [])));
  const problems = repeatedEntries(
    entities.flatMap((entity) => (entity.name ? [{ path: [...entity.path, 'name'], text: entity.name }] : [])),
    'DuplicateEntity',
    (text, first) => `Entity '${text}' is already defined in ${module.name ?? 'this module'} at ${formatPath(first)}.`,
  );
  for (const entity of entities) {
    for (const [field, type] of Object.entries(asObject(entity.raw.fields) ?? {})) {
      const path = [...entity.path, 'fields', field];
      if (Object.hasOwn(IMPLICIT_FIELDS, field)) {
        problems.push({ path, code: 'ReservedField', message: `Field '${field}' is implicit: every entity gets id, createdAt and updatedAt.` });
      }
      const parsed = parseFieldType(type).type;
      for (const target of parsed ? referencedEntities(parsed) : []) {
        if (!names.has(target)) problems.push({ path, code: 'UnknownRef', message: unknownRefMessage(module, field, target) });
      }
    }
  }
  return problems;
}

function unknownRefMessage(module: ModuleView, field: string, target: string): string {
  return `Field '${field}' refers to entity '${target}', which ${module.name ?? 'this module'} does not define; a ref names an entity of the same module.`;
}

function checkScaling(module: ModuleView): LocatedProblem[] {
  const scaling = asObject(module.raw.scaling);
  const min = scaling?.minReplicas;
  const max = scaling?.maxReplicas;
  if (typeof min !== 'number' || typeof max !== 'number' || min <= max) return [];
  return [{ path: [...module.path, 'scaling', 'minReplicas'], code: 'ReplicasRange', message: `minReplicas (${min}) is greater than maxReplicas (${max}).` }];
}

/** Every consumed event must be emitted by some module or declared external (module or spec level). */
function checkEvents(spec: RawObject, modules: readonly ModuleView[]): LocatedProblem[] {
  const emitted = new Set(modules.flatMap((module) => emittedEntries(asObject(module.raw.events)?.emits).map((entry) => entry.text)));
  const externalToAll = new Set(textEntries(asObject(spec.events)?.external).map((entry) => entry.text));
  const problems: LocatedProblem[] = [];
  for (const module of modules) {
    const events = asObject(module.raw.events);
    const externalToModule = new Set(textEntries(events?.external).map((entry) => entry.text));
    for (const list of ['emits', 'consumes', 'external'] as const) {
      problems.push(
        ...repeatedEntries(
          (list === 'emits' ? emittedEntries : textEntries)(events?.[list]).map(({ index, text }) => ({ path: [...module.path, 'events', list, index], text })),
          'DuplicateListEntry',
          (text) => `Event '${text}' is listed twice in ${list}.`,
        ),
      );
    }
    for (const { index, text } of textEntries(events?.consumes)) {
      if (!VERSIONED.test(text) || emitted.has(text) || externalToAll.has(text) || externalToModule.has(text)) continue;
      problems.push({
        path: [...module.path, 'events', 'consumes', index],
        code: 'UnemittedEvent',
        message: `${module.name ?? 'This module'} consumes '${text}', which no module emits; emit it from a module or list it in events.external.`,
      });
    }
  }
  return problems;
}

function checkApprovals(spec: RawObject): LocatedProblem[] {
  const approvals = asObject(asObject(spec.release)?.approvals);
  if (!approvals || !Array.isArray(spec.environments)) return [];
  const environments = textEntries(spec.environments).map((entry) => entry.text);
  return Object.keys(approvals)
    .filter((environment) => !environments.includes(environment))
    .map((environment) => ({
      path: ['spec', 'release', 'approvals', environment],
      code: 'UnknownEnvironment' as const,
      message: `Approvals are set for '${environment}', which is not one of the environments (${environments.join(', ')}).`,
    }));
}
