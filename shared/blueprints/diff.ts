import { canonicalJson } from './canonical';
import type { FieldType } from './fieldTypes';
import type {
  Blueprint,
  BlueprintEdition,
  BlueprintEntity,
  BlueprintModule,
  CostPolicy,
  ModuleApi,
  ModuleInfrastructure,
  ModuleKind,
  ModuleResilience,
  ModuleScaling,
  ReleasePolicy,
} from './schemas';

/** A value that differs between two versions; `undefined` on one side means absent there. */
export interface ValueChange<T> {
  before: T;
  after: T;
}

/** Entries of a list compared as a set. */
export interface ListChange {
  added: string[];
  removed: string[];
}

/** Entries of an ordered list: what came and went, and both lists (the order may be the change). */
export interface OrderedListChange extends ListChange {
  before: string[];
  after: string[];
}

export interface FieldEntry {
  name: string;
  type: FieldType;
}

/** A field whose type changed. */
export interface FieldChange extends ValueChange<FieldType> {
  name: string;
}

export interface EntityDiff {
  name: string;
  description?: ValueChange<string | undefined>;
  fields: { added: FieldEntry[]; removed: FieldEntry[]; changed: FieldChange[] };
}

/** What changed in one module present in both versions; only changed parts are present. */
export interface ModuleDiff {
  name: string;
  kind?: ValueChange<ModuleKind>;
  description?: ValueChange<string | undefined>;
  entities?: { added: string[]; removed: string[]; changed: EntityDiff[] };
  /** `bindings`: explicit `{ event, on }` pairs, written `BookLent.v1 on Loan.created`. */
  events?: { emits?: ListChange; consumes?: ListChange; external?: ListChange; bindings?: ListChange };
  dependsOn?: ListChange;
  api?: ValueChange<ModuleApi | undefined>;
  scaling?: ValueChange<ModuleScaling | undefined>;
  resilience?: ValueChange<ModuleResilience | undefined>;
  infrastructure?: ValueChange<ModuleInfrastructure | undefined>;
}

/**
 * The structured difference between two blueprint versions. Spec-level parts are present only when
 * they changed; module lists follow the order of `to` (removed ones the order of `from`). Order of
 * modules, entities and set-like lists does not count as a change; order of environments does.
 */
export interface BlueprintDiff {
  metadata?: ValueChange<Blueprint['metadata']>;
  edition?: ValueChange<BlueprintEdition | undefined>;
  environments?: OrderedListChange;
  events?: { external: ListChange };
  release?: ValueChange<ReleasePolicy | undefined>;
  cost?: ValueChange<CostPolicy | undefined>;
  modules: { added: string[]; removed: string[]; changed: ModuleDiff[]; unchanged: string[] };
}

/** Compares two valid blueprints. */
export function diffBlueprints(from: Blueprint, to: Blueprint): BlueprintDiff {
  const before = byName(from.spec.modules);
  const after = byName(to.spec.modules);
  const modules: BlueprintDiff['modules'] = { added: [], removed: [], changed: [], unchanged: [] };
  for (const module of to.spec.modules) {
    const previous = before.get(module.name);
    const diff = previous && diffModule(previous, module);
    if (!previous) modules.added.push(module.name);
    else if (diff) modules.changed.push(diff);
    else modules.unchanged.push(module.name);
  }
  modules.removed = from.spec.modules.filter((module) => !after.has(module.name)).map((module) => module.name);
  const environments = listChange(from.spec.environments, to.spec.environments);
  const externals = listChange(from.spec.events.external, to.spec.events.external);
  return compact({
    metadata: valueChange(from.metadata, to.metadata),
    edition: valueChange(from.spec.edition, to.spec.edition),
    environments:
      canonicalJson(from.spec.environments) === canonicalJson(to.spec.environments)
        ? undefined
        : { added: environments?.added ?? [], removed: environments?.removed ?? [], before: from.spec.environments, after: to.spec.environments },
    events: externals && { external: externals },
    release: valueChange(from.spec.release, to.spec.release),
    cost: valueChange(from.spec.cost, to.spec.cost),
    modules,
  });
}

/** True when the two versions differ in meaning (not merely in order of modules or set-like lists). */
export function hasChanges(diff: BlueprintDiff): boolean {
  const { modules, ...spec } = diff;
  return Object.keys(spec).length > 0 || modules.added.length + modules.removed.length + modules.changed.length > 0;
}

/**
 * Modules whose generated artifacts must be regenerated: added and changed ones, or every module of
 * the new version when the edition or the environments changed (they shape each module's Bicep,
 * manifests and pipelines). Removed modules are not listed; release and cost changes touch none.
 */
export function touchedModules(diff: BlueprintDiff): string[] {
  const { added, changed, unchanged } = diff.modules;
  const touched = [...added, ...changed.map((module) => module.name)];
  return diff.edition || diff.environments ? [...touched, ...unchanged] : touched;
}

function diffModule(from: BlueprintModule, to: BlueprintModule): ModuleDiff | undefined {
  const entities = diffEntities(from.entities, to.entities);
  const events = compact({
    emits: listChange(from.events.emits, to.events.emits),
    consumes: listChange(from.events.consumes, to.events.consumes),
    external: listChange(from.events.external, to.events.external),
    bindings: listChange(bindingTexts(from), bindingTexts(to)),
  });
  const diff = compact({
    name: to.name,
    kind: valueChange(from.kind, to.kind),
    description: valueChange(from.description, to.description),
    entities,
    events: Object.keys(events).length ? events : undefined,
    dependsOn: listChange(from.dependsOn, to.dependsOn),
    api: valueChange(from.api, to.api),
    scaling: valueChange(from.scaling, to.scaling),
    resilience: valueChange(from.resilience, to.resilience),
    infrastructure: valueChange(from.infrastructure, to.infrastructure),
  });
  return Object.keys(diff).length > 1 ? diff : undefined;
}

function diffEntities(from: BlueprintEntity[], to: BlueprintEntity[]): ModuleDiff['entities'] {
  const before = byName(from);
  const after = byName(to);
  const changed = to.flatMap((entity) => {
    const previous = before.get(entity.name);
    const diff = previous && diffEntity(previous, entity);
    return diff ? [diff] : [];
  });
  const added = to.filter((entity) => !before.has(entity.name)).map((entity) => entity.name);
  const removed = from.filter((entity) => !after.has(entity.name)).map((entity) => entity.name);
  return added.length + removed.length + changed.length ? { added, removed, changed } : undefined;
}

function diffEntity(from: BlueprintEntity, to: BlueprintEntity): EntityDiff | undefined {
  const entries = (fields: Record<string, FieldType>) => Object.entries(fields).map(([name, type]) => ({ name, type }));
  const fields: EntityDiff['fields'] = {
    added: entries(to.fields).filter(({ name }) => !(name in from.fields)),
    removed: entries(from.fields).filter(({ name }) => !(name in to.fields)),
    changed: entries(to.fields).flatMap(({ name, type }) =>
      name in from.fields && canonicalJson(from.fields[name]) !== canonicalJson(type) ? [{ name, before: from.fields[name], after: type }] : [],
    ),
  };
  const description = valueChange(from.description, to.description);
  if (!description && fields.added.length + fields.removed.length + fields.changed.length === 0) return undefined;
  return compact({ name: to.name, description, fields });
}

/** Versions stored before `on` existed have no `bindings`. */
function bindingTexts(module: BlueprintModule): string[] {
  return (module.events.bindings ?? []).map((binding) => `${binding.event} on ${binding.on}`);
}

function listChange(from: readonly string[], to: readonly string[]): ListChange | undefined {
  const added = to.filter((entry) => !from.includes(entry));
  const removed = from.filter((entry) => !to.includes(entry));
  return added.length + removed.length ? { added, removed } : undefined;
}

function valueChange<T>(before: T, after: T): ValueChange<T> | undefined {
  return canonicalJson(before) === canonicalJson(after) ? undefined : { before, after };
}

function byName<T extends { name: string }>(items: readonly T[]): Map<string, T> {
  return new Map(items.map((item) => [item.name, item]));
}

/** Drops members that are `undefined`, so a diff holds only what changed. */
function compact<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, member]) => member !== undefined)) as T;
}
