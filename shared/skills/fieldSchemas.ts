import { IMPLICIT_FIELDS, type FieldType } from '../blueprints/fieldTypes';
import type { BlueprintEntity } from '../blueprints/schemas';
import { compareText } from './naming';

/** A JSON Schema (2020-12, which OpenAPI 3.1 shares) as plain data. */
export type JsonSchema = Record<string, unknown>;

const SCALAR_SCHEMAS: Record<string, JsonSchema> = {
  string: { type: 'string', maxLength: 1000 },
  text: { type: 'string' },
  integer: { type: 'integer' },
  number: { type: 'number' },
  boolean: { type: 'boolean' },
  date: { type: 'string', format: 'date' },
  datetime: { type: 'string', format: 'date-time' },
  uuid: { type: 'string', format: 'uuid' },
  email: { type: 'string', format: 'email', maxLength: 254 },
  url: { type: 'string', format: 'uri', maxLength: 2048 },
};

/**
 * The JSON Schema of a field type. `string` holds at most 1,000 characters, `email` 254 (the longest
 * address SMTP carries, RFC 5321 §4.5.3.1 as corrected by erratum 1690), `url` 2,048; `text` has no
 * cap of its own (the service's 1 MiB body limit bounds it); `url` is format `uri`;
 * a `ref` is the referenced entity's `id` (a uuid string), described as such — contracts carry ids,
 * never embedded entities, so that every entity keeps one owner.
 */
export function toJsonSchema(type: FieldType): JsonSchema {
  switch (type.kind) {
    case 'scalar':
      return { ...SCALAR_SCHEMAS[type.name] };
    case 'enum':
      return { type: 'string', enum: [...type.values] };
    case 'array':
      return { type: 'array', items: toJsonSchema(type.of) };
    case 'ref':
      return { type: 'string', format: 'uuid', description: `id of the referenced ${type.entity}` };
  }
}

/** A field of an entity as generated. */
export interface EntityField {
  name: string;
  type: FieldType;
  implicit: boolean;
}

/**
 * An entity's fields in generation order: the implicit `id`, `createdAt`, `updatedAt` first, then the
 * declared fields sorted by name — so that documents differing only in key order (the same
 * blueprint `contentHash`) generate the same bytes.
 */
export function entityFields(entity: BlueprintEntity): EntityField[] {
  const implicit = Object.entries(IMPLICIT_FIELDS).map(([name, type]) => ({ name, type, implicit: true }));
  const declared = Object.keys(entity.fields)
    .sort(compareText)
    .map((name) => ({ name, type: entity.fields[name], implicit: false }));
  return [...implicit, ...declared];
}

/** An object schema over fields: required unless optional, no other properties. */
export function toObjectSchema(fields: readonly EntityField[], readOnlyImplicit: boolean): JsonSchema {
  const properties: Record<string, JsonSchema> = {};
  for (const field of fields) properties[field.name] = { ...toJsonSchema(field.type), ...(readOnlyImplicit && field.implicit ? { readOnly: true } : {}) };
  const required = fields.filter((field) => !field.type.optional).map((field) => field.name);
  return { type: 'object', properties, ...(required.length ? { required } : {}), additionalProperties: false };
}

const SAMPLE_SCALARS: Record<string, unknown> = {
  string: 'example',
  text: 'Example text.',
  integer: 1,
  number: 1.5,
  boolean: true,
  date: '2025-01-31',
  datetime: '2025-01-31T09:30:00Z',
  uuid: '00000000-0000-4000-8000-000000000001',
  email: 'someone@example.com',
  url: 'https://example.com/',
};

/** A fixed, valid sample value of a field type (the first enum value, a one-element array…). */
export function sampleValue(type: FieldType): unknown {
  switch (type.kind) {
    case 'scalar':
      return SAMPLE_SCALARS[type.name];
    case 'enum':
      return type.values[0];
    case 'array':
      return [sampleValue(type.of)];
    case 'ref':
      return SAMPLE_SCALARS.uuid;
  }
}

/** A sample object with every field (optional ones included). */
export function sampleObject(fields: readonly EntityField[]): Record<string, unknown> {
  return Object.fromEntries(fields.map((field) => [field.name, sampleValue(field.type)]));
}

/** The blueprint spelling of a field type for documents: `datetime?`, `enum(booked, cancelled)`, `array<ref InvoiceLine>`. */
export function describeFieldType(type: FieldType): string {
  const flag = type.optional ? '?' : '';
  switch (type.kind) {
    case 'scalar':
      return `${type.name}${flag}`;
    case 'enum':
      return `enum(${type.values.join(', ')})${flag}`;
    case 'array':
      return `array<${describeFieldType(type.of)}>${flag}`;
    case 'ref':
      return `ref ${type.entity}${flag}`;
  }
}
