import type { Condition } from './schemas';

/** A field of the input by dotted path, through own properties of plain objects only. */
export function readField(input: unknown, path: string): { found: true; value: unknown } | { found: false } {
  let current: unknown = input;
  for (const segment of path.split('.')) {
    if (typeof current !== 'object' || current === null || Array.isArray(current) || !Object.hasOwn(current, segment)) return { found: false };
    current = (current as Record<string, unknown>)[segment];
  }
  return current === undefined ? { found: false } : { found: true, value: current };
}

function isRef(value: unknown): value is { ref: string } {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && typeof (value as { ref?: unknown }).ref === 'string';
}

function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  return JSON.stringify(a) === JSON.stringify(b);
}

/** Numbers with numbers, strings with strings (ISO timestamps order as text); anything else is incomparable. */
function compare(a: unknown, b: unknown): number | undefined {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (typeof a === 'string' && typeof b === 'string') return a < b ? -1 : a > b ? 1 : 0;
  return undefined;
}

/**
 * True when the condition holds for the input. A condition on an absent field holds only for
 * `exists: false`, so a rule never fires on data its caller did not supply; a `{ ref }` value
 * that is absent makes the condition fail the same way.
 */
export function holds(condition: Condition, input: Record<string, unknown>): boolean {
  const field = readField(input, condition.field);
  if (condition.op === 'exists') return field.found === (condition.value ?? true);
  if (!field.found) return false;
  let expected: unknown = condition.value;
  if (isRef(expected)) {
    const referenced = readField(input, expected.ref);
    if (!referenced.found) return false;
    expected = referenced.value;
  }
  const actual = field.value;
  switch (condition.op) {
    case 'eq':
      return sameValue(actual, expected);
    case 'neq':
      return !sameValue(actual, expected);
    case 'in':
      return Array.isArray(expected) && expected.some((candidate) => sameValue(actual, candidate));
    case 'notIn':
      return Array.isArray(expected) && !expected.some((candidate) => sameValue(actual, candidate));
    case 'contains':
      return Array.isArray(actual) && actual.some((item) => sameValue(item, expected));
    case 'notContains':
      return Array.isArray(actual) && !actual.some((item) => sameValue(item, expected));
    default: {
      const order = compare(actual, expected);
      if (order === undefined) return false;
      if (condition.op === 'gt') return order > 0;
      if (condition.op === 'gte') return order >= 0;
      if (condition.op === 'lt') return order < 0;
      return order <= 0;
    }
  }
}
