import type { FieldType } from '../../blueprints/fieldTypes';
import { sampleValue } from '../fieldSchemas';

const INVALID: Record<string, unknown> = {
  string: 42,
  text: false,
  integer: 1.5,
  number: 'many',
  boolean: 'yes',
  date: '2025-02-30',
  datetime: 'yesterday',
  uuid: 'not-a-uuid',
  email: 'not-an-email',
  url: 'not a url',
};

const CHANGED: Record<string, unknown> = {
  string: 'changed',
  text: 'Changed text.',
  integer: 2,
  number: 2.5,
  boolean: false,
  date: '2025-02-01',
  datetime: '2025-02-01T10:00:00Z',
  uuid: '00000000-0000-4000-8000-000000000002',
  email: 'someone.else@example.com',
  url: 'https://example.org/changed',
};

/** A value the generated validation must reject for `type` (at the field's own path). */
export function invalidValue(type: FieldType): unknown {
  switch (type.kind) {
    case 'scalar':
      return INVALID[type.name];
    case 'enum':
      return '_notListed';
    case 'array':
      return 'not-an-array';
    case 'ref':
      return 'not-an-id';
  }
}

/** A valid value different from `sampleValue` where the type allows one. */
export function changedValue(type: FieldType): unknown {
  switch (type.kind) {
    case 'scalar':
      return CHANGED[type.name];
    case 'enum':
      return type.values[type.values.length - 1];
    case 'array':
      return [sampleValue(type.of), changedValue(type.of)];
    case 'ref':
      return CHANGED.uuid;
  }
}

export { sampleValue };
