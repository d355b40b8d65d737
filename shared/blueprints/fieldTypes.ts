import type { LocatedProblem, PathSegments } from './problems';

/** The scalar field types a blueprint may name. */
export const SCALAR_TYPES = ['string', 'text', 'integer', 'number', 'boolean', 'date', 'datetime', 'uuid', 'email', 'url'] as const;

export type ScalarTypeName = (typeof SCALAR_TYPES)[number];

/**
 * A field type as the factory reads it, normalized from what the document says: `string?` becomes
 * `{ kind: 'scalar', name: 'string', optional: true }`. `ref` names an entity of the same module;
 * array elements are never optional.
 */
export type FieldType =
  | { kind: 'scalar'; name: ScalarTypeName; optional: boolean }
  | { kind: 'enum'; values: string[]; optional: boolean }
  | { kind: 'array'; of: FieldType; optional: boolean }
  | { kind: 'ref'; entity: string; optional: boolean };

/**
 * A field type as written in a blueprint: a scalar name with an optional trailing `?`, or
 * `{ enum: [...] }`, `{ array: <type> }`, `{ ref: Entity }`, each object form taking `optional: true`.
 */
export type FieldTypeInput =
  | string
  | { enum: string[]; optional?: boolean }
  | { array: FieldTypeInput; optional?: boolean }
  | { ref: string; optional?: boolean };

/** Fields every entity gets without declaring them; a blueprint may not declare them itself. */
export const IMPLICIT_FIELDS: Readonly<Record<'id' | 'createdAt' | 'updatedAt', FieldType>> = {
  id: { kind: 'scalar', name: 'uuid', optional: false },
  createdAt: { kind: 'scalar', name: 'datetime', optional: false },
  updatedAt: { kind: 'scalar', name: 'datetime', optional: false },
};

/** An entity's fields as generated: the implicit ones first, then those the blueprint declares. */
export function withImplicitFields(fields: Readonly<Record<string, FieldType>>): Record<string, FieldType> {
  return { ...IMPLICIT_FIELDS, ...fields };
}

export const ENTITY_NAME = /^[A-Z][A-Za-z0-9]*$/;
const ENUM_VALUE = /^[A-Za-z][A-Za-z0-9_-]*$/;
const SCALAR_WITH_FLAG = /^([A-Za-z]+)(\?)?$/;
const FORMS = ['enum', 'array', 'ref'] as const;
const EXPECTED = `one of ${SCALAR_TYPES.join(', ')} (with an optional trailing ?), { enum: [...] }, { array: <type> } or { ref: <Entity> }`;

/** The outcome of reading one field type: the type when it is sound, and every problem found. */
export interface FieldTypeReading {
  type?: FieldType;
  problems: LocatedProblem[];
}

/** Reads a field type as written (`FieldTypeInput`) into a `FieldType`, naming every problem. */
export function parseFieldType(input: unknown, path: PathSegments = []): FieldTypeReading {
  return readType(input, path, true);
}

function readType(input: unknown, path: PathSegments, optionalAllowed: boolean): FieldTypeReading {
  if (typeof input === 'string') return readScalar(input, path, optionalAllowed);
  if (input !== null && typeof input === 'object' && !Array.isArray(input)) {
    return readForm(input as Record<string, unknown>, path, optionalAllowed);
  }
  return fail(path, 'UnknownFieldType', `A field type is ${EXPECTED}.`);
}

function readScalar(input: string, path: PathSegments, optionalAllowed: boolean): FieldTypeReading {
  const match = SCALAR_WITH_FLAG.exec(input.trim());
  const name = match?.[1];
  if (!name || !(SCALAR_TYPES as readonly string[]).includes(name)) {
    return fail(path, 'UnknownFieldType', `Unknown field type '${input}'; expected ${EXPECTED}.`);
  }
  const optional = match[2] === '?';
  if (optional && !optionalAllowed) return fail(path, 'UnknownFieldType', 'Array elements cannot be optional.');
  return { type: { kind: 'scalar', name: name as ScalarTypeName, optional }, problems: [] };
}

function readForm(input: Record<string, unknown>, path: PathSegments, optionalAllowed: boolean): FieldTypeReading {
  const forms = FORMS.filter((form) => form in input);
  if (forms.length !== 1) {
    const found = forms.length ? `both ${forms.join(' and ')}` : `keys ${Object.keys(input).join(', ') || 'none'}`;
    return fail(path, 'UnknownFieldType', `A field type object has exactly one of enum, array or ref; found ${found}.`);
  }
  const problems: LocatedProblem[] = [];
  for (const key of Object.keys(input)) {
    if (key !== forms[0] && key !== 'optional') problems.push({ path: [...path, key], code: 'UnknownField', message: `Unknown field '${key}'.` });
  }
  const optional = readOptionalFlag(input.optional, path, optionalAllowed, problems);
  const reading = readFormBody(forms[0], input[forms[0]], [...path, forms[0]], optional);
  problems.push(...reading.problems);
  return problems.length ? { problems } : reading;
}

function readOptionalFlag(value: unknown, path: PathSegments, optionalAllowed: boolean, problems: LocatedProblem[]): boolean {
  if (value === undefined) return false;
  if (typeof value !== 'boolean') {
    problems.push({ path: [...path, 'optional'], code: 'InvalidType', message: 'Expected a boolean.' });
    return false;
  }
  if (value && !optionalAllowed) problems.push({ path: [...path, 'optional'], code: 'UnknownFieldType', message: 'Array elements cannot be optional.' });
  return value;
}

function readFormBody(form: (typeof FORMS)[number], body: unknown, path: PathSegments, optional: boolean): FieldTypeReading {
  switch (form) {
    case 'enum':
      return readEnum(body, path, optional);
    case 'array': {
      const element = readType(body, path, false);
      return element.type ? { type: { kind: 'array', of: element.type, optional }, problems: [] } : element;
    }
    case 'ref':
      if (typeof body !== 'string' || !ENTITY_NAME.test(body)) {
        return fail(path, 'InvalidName', 'A ref names an entity of the same module in PascalCase, e.g. { ref: Pet }; mark it optional with optional: true.');
      }
      return { type: { kind: 'ref', entity: body, optional }, problems: [] };
  }
}

function readEnum(body: unknown, path: PathSegments, optional: boolean): FieldTypeReading {
  if (!Array.isArray(body) || body.length === 0) return fail(path, 'UnknownFieldType', 'An enum lists at least one value, e.g. { enum: [booked, cancelled] }.');
  const problems: LocatedProblem[] = [];
  const seen = new Set<string>();
  body.forEach((value, index) => {
    if (typeof value !== 'string' || !ENUM_VALUE.test(value)) {
      problems.push({ path: [...path, index], code: 'InvalidName', message: `Enum value ${JSON.stringify(value)} must start with a letter and use letters, digits, _ or -.` });
    } else if (seen.has(value)) {
      problems.push({ path: [...path, index], code: 'DuplicateEnumValue', message: `Enum value '${value}' is listed twice.` });
    }
    if (typeof value === 'string') seen.add(value);
  });
  return problems.length ? { problems } : { type: { kind: 'enum', values: body as string[], optional }, problems };
}

function fail(path: PathSegments, code: LocatedProblem['code'], message: string): FieldTypeReading {
  return { problems: [{ path, code, message }] };
}

/** The document form of a field type, the inverse of `parseFieldType`: `string?`, `{ enum: [...] }`… */
export function formatFieldType(type: FieldType): FieldTypeInput {
  const flag = type.optional ? { optional: true } : {};
  switch (type.kind) {
    case 'scalar':
      return type.optional ? `${type.name}?` : type.name;
    case 'enum':
      return { enum: [...type.values], ...flag };
    case 'array':
      return { array: formatFieldType(type.of), ...flag };
    case 'ref':
      return { ref: type.entity, ...flag };
  }
}

/** The entities a field type refers to (through arrays too), for the same-module check. */
export function referencedEntities(type: FieldType): string[] {
  if (type.kind === 'ref') return [type.entity];
  if (type.kind === 'array') return referencedEntities(type.of);
  return [];
}
