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
export { BLUEPRINT_LIMITS } from './limits';
export { RESERVED_ENTITY_NAMES, RESERVED_FIELD_NAMES } from './names';
export { parseBlueprint, validateBlueprint, withDefaultMessaging, type BlueprintParseResult, type BlueprintValidation } from './parse';
export { formatPath, type Problem, type ProblemCode } from './problems';
export { releaseApproversOf } from './releasePolicy';
export { SCALING_TRIGGER_TYPES, type ScalingTrigger } from './scaling';
export * from './schemas';
export { NAME_TARGETS } from './targets';
export type { BlueprintFormat } from './source';
