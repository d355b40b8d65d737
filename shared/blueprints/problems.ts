/**
 * Stable codes of blueprint problems; clients and tests branch on these, never on messages.
 * Syntax: `YamlSyntax`, `JsonSyntax`, `DuplicateKey`. Schema: `UnknownField`, `Required`,
 * `InvalidType`, `InvalidValue`, `InvalidName`, `OutOfRange`, `EventVersionMissing`,
 * `UnknownFieldType`, `DuplicateEnumValue`. Size (`LimitExceeded`, see `BLUEPRINT_LIMITS`). Semantic: the rest,
 * among them the name rules of `names.ts` (`NameCollision`, `NameTooLong`, `ReservedName`).
 */
export type ProblemCode =
  | 'YamlSyntax'
  | 'JsonSyntax'
  | 'DuplicateKey'
  | 'UnknownField'
  | 'Required'
  | 'InvalidType'
  | 'InvalidValue'
  | 'InvalidName'
  | 'OutOfRange'
  | 'EventVersionMissing'
  | 'UnknownFieldType'
  | 'DuplicateEnumValue'
  | 'DuplicateModule'
  | 'DuplicateEntity'
  | 'DuplicateEnvironment'
  | 'DuplicateListEntry'
  | 'ReservedField'
  | 'UnknownRef'
  | 'UnknownDependency'
  | 'DependencyCycle'
  | 'UnemittedEvent'
  | 'ReplicasRange'
  | 'UnknownEnvironment'
  | 'LimitExceeded'
  | 'NameCollision'
  | 'NameTooLong'
  | 'ReservedName'
  | 'UnsupportedSetting';

/**
 * One thing wrong with a blueprint. `path` points into the document the way a reader names it,
 * `spec.modules[0].entities[1].fields.startsAt`; '' is the whole document (syntax errors, whose
 * message carries line and column). Shaped like the platform's `FieldError` plus a `code`.
 */
export interface Problem {
  path: string;
  message: string;
  code: ProblemCode;
}

/** A path as segments: object keys and array indexes. */
export type PathSegments = readonly (string | number)[];

const PLAIN_KEY = /^[A-Za-z_$][\w$-]*$/;

/** `['spec', 'modules', 0, 'name']` → `spec.modules[0].name`; odd keys are quoted: `a["x.y"]`. */
export function formatPath(path: PathSegments): string {
  let out = '';
  for (const segment of path) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else if (!PLAIN_KEY.test(segment)) out += `[${JSON.stringify(segment)}]`;
    else out += out ? `.${segment}` : segment;
  }
  return out;
}

/** A problem located by path segments, before formatting. */
export interface LocatedProblem {
  path: PathSegments;
  message: string;
  code: ProblemCode;
}

function compareSegments(a: PathSegments, b: PathSegments): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const x = a[i];
    const y = b[i];
    if (x === y) continue;
    if (typeof x === 'number' && typeof y === 'number') return x - y;
    if (typeof x === 'number') return -1;
    if (typeof y === 'number') return 1;
    return x < y ? -1 : 1;
  }
  return a.length - b.length;
}

/**
 * Orders problems by where they are (indexes numerically, so `modules[2]` before `modules[10]`),
 * keeping detection order for one location, and formats their paths.
 */
export function toProblems(located: readonly LocatedProblem[]): Problem[] {
  const seen = new Set<string>();
  return located
    .map((problem, index) => ({ problem, index }))
    .sort((a, b) => compareSegments(a.problem.path, b.problem.path) || a.index - b.index)
    .map(({ problem }) => ({ path: formatPath(problem.path), message: problem.message, code: problem.code }))
    .filter((problem) => {
      const key = `${problem.path}\u0000${problem.code}\u0000${problem.message}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
}
