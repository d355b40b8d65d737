/** `src/validation.ts` of a generated service: field rules interpreted from a declarative field list. */
export const VALIDATION_TS = `/** A problem with a request, at a JSON pointer into the body (\`/lines/0\`) or a query parameter name. */
export interface FieldProblem {
  path: string;
  message: string;
}

/** A field's type, as declared in the blueprint. */
export type FieldKind =
  | { kind: 'string' | 'text' | 'integer' | 'number' | 'boolean' | 'date' | 'datetime' | 'uuid' | 'email' | 'url' }
  | { kind: 'enum'; values: readonly string[] }
  | { kind: 'array'; of: FieldKind }
  | { kind: 'ref'; entity: string };

export interface FieldSpec {
  name: string;
  type: FieldKind;
  optional: boolean;
}

/** Fields every entity has; the server sets them, so a body must not carry them. */
export const READ_ONLY_FIELDS: readonly string[] = ['id', 'createdAt', 'updatedAt'];

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const DATE = /^(\\d{4})-(\\d{2})-(\\d{2})$/;
const DATETIME = /^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d{1,9})?(Z|[+-]\\d{2}:\\d{2})$/;
const EMAIL = /^[^\\s@]+@[^\\s@.]+(\\.[^\\s@.]+)+$/;

export function isUuid(value: unknown): value is string {
  return typeof value === 'string' && UUID.test(value);
}

function isDate(value: string): boolean {
  const match = DATE.exec(value);
  if (!match) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

function isUrl(value: string): boolean {
  try {
    new URL(value);
    return true;
  } catch {
    return false;
  }
}

/** Adds a problem for each way \`value\` is not a \`type\`; arrays report per element. */
function checkValue(type: FieldKind, value: unknown, path: string, problems: FieldProblem[]): void {
  const fail = (message: string): void => {
    problems.push({ path, message });
  };
  switch (type.kind) {
    case 'string':
    case 'text':
      if (typeof value !== 'string') fail('must be a string');
      return;
    case 'integer':
      if (typeof value !== 'number' || !Number.isSafeInteger(value)) fail('must be an integer');
      return;
    case 'number':
      if (typeof value !== 'number' || !Number.isFinite(value)) fail('must be a number');
      return;
    case 'boolean':
      if (typeof value !== 'boolean') fail('must be a boolean');
      return;
    case 'date':
      if (typeof value !== 'string' || !isDate(value)) fail('must be a date (YYYY-MM-DD)');
      return;
    case 'datetime':
      if (typeof value !== 'string' || !DATETIME.test(value) || Number.isNaN(Date.parse(value))) fail('must be an RFC 3339 date-time');
      return;
    case 'uuid':
      if (!isUuid(value)) fail('must be a UUID');
      return;
    case 'email':
      if (typeof value !== 'string' || value.length > 254 || !EMAIL.test(value)) fail('must be an email address');
      return;
    case 'url':
      if (typeof value !== 'string' || !isUrl(value)) fail('must be an absolute URL');
      return;
    case 'enum':
      if (typeof value !== 'string' || !type.values.includes(value)) fail('must be one of ' + type.values.join(', '));
      return;
    case 'ref':
      if (!isUuid(value)) fail('must be the id (UUID) of a ' + type.entity);
      return;
    case 'array':
      if (!Array.isArray(value)) {
        fail('must be an array');
        return;
      }
      value.forEach((element: unknown, index: number) => checkValue(type.of, element, path + '/' + index, problems));
      return;
  }
}

/**
 * Checks a request body against an entity's fields: a JSON object, every required field present,
 * every present field of its type, no other members (the server-set id, createdAt and updatedAt
 * included). Returns every problem, in field order.
 */
export function checkFields(body: unknown, fields: readonly FieldSpec[]): FieldProblem[] {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) return [{ path: '', message: 'must be a JSON object' }];
  const record = body as Record<string, unknown>;
  const problems: FieldProblem[] = [];
  for (const field of fields) {
    const value = record[field.name];
    if (value === undefined) {
      if (!field.optional) problems.push({ path: '/' + field.name, message: 'is required' });
      continue;
    }
    checkValue(field.type, value, '/' + field.name, problems);
  }
  const known = new Set(fields.map((field) => field.name));
  for (const key of Object.keys(record).sort()) {
    if (known.has(key)) continue;
    problems.push({ path: '/' + key, message: READ_ONLY_FIELDS.includes(key) ? 'is read-only' : 'is not a field of this entity' });
  }
  return problems;
}

/** The declared fields of a body that passed \`checkFields\`, in field order. */
export function pickFields(body: unknown, fields: readonly FieldSpec[]): Record<string, unknown> {
  const record = body as Record<string, unknown>;
  const picked: Record<string, unknown> = {};
  for (const field of fields) {
    if (record[field.name] !== undefined) picked[field.name] = record[field.name];
  }
  return picked;
}
`;
