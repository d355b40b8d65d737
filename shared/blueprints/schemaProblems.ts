import type { z } from 'zod';
import type { LocatedProblem, PathSegments, ProblemCode } from './problems';

type Issue = z.core.$ZodIssue;

/** Zod issues as blueprint problems, with stable codes and messages written for blueprint authors. */
export function fromSchemaIssues(issues: readonly Issue[], document: unknown): LocatedProblem[] {
  return issues.flatMap((issue) => fromIssue(issue, toSegments(issue.path), document));
}

function fromIssue(issue: Issue, path: PathSegments, document: unknown): LocatedProblem[] {
  switch (issue.code) {
    case 'unrecognized_keys':
      return issue.keys.map((key) => ({ path: [...path, key], code: 'UnknownField', message: `Unknown field '${key}'.` }));
    case 'invalid_type':
      return [typeProblem(path, issue.expected, document)];
    case 'invalid_value':
      if (valueAt(document, path) === undefined) return [requiredProblem(path)];
      return [{ path, code: 'InvalidValue', message: `Expected ${expectedValues(issue.values)}${describeGot(valueAt(document, path))}.` }];
    case 'too_small':
    case 'too_big':
      return [{ path, code: 'OutOfRange', message: rangeMessage(issue) }];
    case 'invalid_key':
      return issue.issues.flatMap((inner) => fromIssue(inner, [...path, ...toSegments(inner.path)], document));
    case 'custom':
      return [{ path, code: (issue.params?.code as ProblemCode | undefined) ?? 'InvalidValue', message: issue.message }];
    default:
      return [{ path, code: 'InvalidValue', message: issue.message }];
  }
}

function typeProblem(path: PathSegments, expected: string, document: unknown): LocatedProblem {
  const value = valueAt(document, path);
  if (value === undefined || (value === null && path.length === 0)) return requiredProblem(path);
  return { path, code: 'InvalidType', message: `Expected ${expected === 'int' ? 'an integer' : `${article(expected)} ${expected}`}${describeGot(value)}.` };
}

function requiredProblem(path: PathSegments): LocatedProblem {
  const message = path.length ? `'${String(path[path.length - 1])}' is required.` : 'The blueprint is empty.';
  return { path, code: 'Required', message };
}

function rangeMessage(issue: z.core.$ZodIssueTooSmall | z.core.$ZodIssueTooBig): string {
  const small = issue.code === 'too_small';
  const bound = small ? (issue as z.core.$ZodIssueTooSmall).minimum : (issue as z.core.$ZodIssueTooBig).maximum;
  if (issue.origin === 'array') return small ? `List at least ${bound} ${Number(bound) === 1 ? 'entry' : 'entries'}.` : `List at most ${bound} entries.`;
  const relation = small ? (issue.inclusive ? 'at least' : 'greater than') : issue.inclusive ? 'at most' : 'less than';
  return `Must be ${relation} ${bound}.`;
}

function expectedValues(values: readonly unknown[]): string {
  const listed = values.map((value) => `'${String(value)}'`);
  return listed.length === 1 ? listed[0] : `one of ${listed.join(', ')}`;
}

function article(word: string): string {
  return /^[aeiou]/.test(word) ? 'an' : 'a';
}

function describeGot(value: unknown): string {
  if (value === undefined) return '';
  if (value === null) return ', got null';
  if (Array.isArray(value)) return ', got a list';
  if (typeof value === 'object') return ', got an object';
  if (typeof value === 'string') return `, got '${value.length > 40 ? `${value.slice(0, 40)}…` : value}'`;
  return `, got ${typeof value} ${String(value)}`;
}

function toSegments(path: readonly PropertyKey[]): (string | number)[] {
  return path.map((segment) => (typeof segment === 'number' ? segment : String(segment)));
}

function valueAt(document: unknown, path: PathSegments): unknown {
  let value = document;
  for (const segment of path) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<string | number, unknown>)[segment];
  }
  return value;
}
