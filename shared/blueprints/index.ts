/** The blueprints context: reading, validating, hashing and comparing blueprint documents. */
export { canonicalJson, contentHash, toCanonicalJson } from './canonical';
export { findDependencyCycles, type DependencyCycle } from './dependencies';
export {
  diffBlueprints,
  hasChanges,
  touchedModules,
  type BlueprintDiff,
  type EntityDiff,
  type FieldChange,
  type FieldEntry,
  type ListChange,
  type ModuleDiff,
  type OrderedListChange,
  type ValueChange,
} from './diff';
export {
  IMPLICIT_FIELDS,
  SCALAR_TYPES,
  formatFieldType,
  parseFieldType,
  withImplicitFields,
  type FieldType,
  type FieldTypeInput,
  type FieldTypeReading,
  type ScalarTypeName,
} from './fieldTypes';
export { parseBlueprint, validateBlueprint, type BlueprintParseResult, type BlueprintValidation } from './parse';
export { formatPath, type Problem, type ProblemCode } from './problems';
export { releaseApproversOf } from './releasePolicy';
export * from './schemas';
export type { BlueprintFormat } from './source';
