import { checkValueShape, scanTextShape, type ShapeLimits } from '../platform/http/documentShape';
import type { LocatedProblem } from './problems';
import { asList, asObject, type RawObject } from './rawDocument';

/**
 * Bounds on a blueprint document, each named in the problem that reports it (code `LimitExceeded`).
 * Depth: the deepest real blueprint is about 12 levels (`spec.modules[].entities[].fields.x.array…`).
 * Values and strings: what a 512 KiB document can legitimately hold. Counts: what one workflow can
 * generate and validate (each module is an assembly with eight agent tasks).
 */
export const BLUEPRINT_LIMITS = {
  maxDepth: 32,
  maxNodes: 50_000,
  maxStringLength: 8_192,
  /** YAML aliases a document may expand (`*ref`); more is a resource-exhaustion attempt ("billion laughs"). */
  maxAliasCount: 100,
  maxModules: 50,
  maxEntitiesPerModule: 100,
  maxFieldsPerEntity: 200,
  maxEnumValues: 500,
} as const;

const SHAPE: ShapeLimits = { maxDepth: BLUEPRINT_LIMITS.maxDepth, maxNodes: BLUEPRINT_LIMITS.maxNodes, maxStringLength: BLUEPRINT_LIMITS.maxStringLength };

/** The text's nesting and size measured before any parser reads it; a problem at '' when over a limit. */
export function checkTextLimits(text: string): LocatedProblem[] {
  const violation = scanTextShape(text, SHAPE);
  return violation ? [{ path: [], code: 'LimitExceeded', message: violation.message }] : [];
}

/** The parsed document's depth, size and strings: a document over them is checked no further. */
export function checkDocumentShape(document: unknown): LocatedProblem[] {
  const violation = checkValueShape(document, SHAPE);
  return violation ? [{ path: violation.path, code: 'LimitExceeded', message: violation.message }] : [];
}

/** The counts of modules, entities, fields and enum values. */
export function checkCounts(document: unknown): LocatedProblem[] {
  const spec = asObject(asObject(document)?.spec);
  if (!spec) return [];
  const problems: LocatedProblem[] = [];
  const modules = asList(spec.modules);
  over(problems, ['spec', 'modules'], modules.length, BLUEPRINT_LIMITS.maxModules, 'modules');
  modules.forEach((module, m) => {
    const entities = asList(asObject(module)?.entities);
    over(problems, ['spec', 'modules', m, 'entities'], entities.length, BLUEPRINT_LIMITS.maxEntitiesPerModule, 'entities in a module');
    entities.forEach((entity, e) => {
      const fields: RawObject = asObject(asObject(entity)?.fields) ?? {};
      over(problems, ['spec', 'modules', m, 'entities', e, 'fields'], Object.keys(fields).length, BLUEPRINT_LIMITS.maxFieldsPerEntity, 'fields in an entity');
      for (const [name, type] of Object.entries(fields)) {
        const values = asList(asObject(type)?.enum);
        over(problems, ['spec', 'modules', m, 'entities', e, 'fields', name, 'enum'], values.length, BLUEPRINT_LIMITS.maxEnumValues, 'enum values');
      }
    });
  });
  return problems;
}

function over(problems: LocatedProblem[], path: LocatedProblem['path'], count: number, limit: number, what: string): void {
  if (count > limit) problems.push({ path, code: 'LimitExceeded', message: `${count} ${what}; the limit is ${limit}.` });
}
