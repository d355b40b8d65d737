import type { FieldType } from '../../blueprints/fieldTypes';
import type { EntityModel } from './model';

/** The TypeScript type of a field's value: ids, dates and formats are strings on the wire. */
export function toTsType(type: FieldType): string {
  switch (type.kind) {
    case 'scalar':
      return type.name === 'integer' || type.name === 'number' ? 'number' : type.name === 'boolean' ? 'boolean' : 'string';
    case 'enum':
      return type.values.map((value) => `'${value}'`).join(' | ');
    case 'array': {
      const element = toTsType(type.of);
      return element.includes('|') ? `(${element})[]` : `${element}[]`;
    }
    case 'ref':
      return 'string';
  }
}

/** The `FieldKind` literal of the generated validation module. */
function toFieldKind(type: FieldType): string {
  switch (type.kind) {
    case 'scalar':
      return `{ kind: '${type.name}' }`;
    case 'enum':
      return `{ kind: 'enum', values: [${type.values.map((value) => `'${value}'`).join(', ')}] }`;
    case 'array':
      return `{ kind: 'array', of: ${toFieldKind(type.of)} }`;
    case 'ref':
      return `{ kind: 'ref', entity: '${type.entity}' }`;
  }
}

const article = (name: string) => (/^[AEIOU]/.test(name) ? 'an' : 'a');

/** `src/entities/<entity>.ts`: the entity's type, its input type and its field list for validation. */
export function entityTs(entity: EntityModel): string {
  const one = `${article(entity.name)} ${entity.name}`;
  const One = one.charAt(0).toUpperCase() + one.slice(1);
  const members = entity.fields.map((field) => `  ${field.name}${field.type.optional ? '?' : ''}: ${toTsType(field.type)};`);
  const specs = entity.fields.map((field) => `  { name: '${field.name}', type: ${toFieldKind(field.type)}, optional: ${field.type.optional} },`);
  return [
    `import type { EntityRecord } from '../repository';`,
    `import type { FieldSpec } from '../validation';`,
    ``,
    `/** ${One} as stored and returned. */`,
    members.length ? `export interface ${entity.name} extends EntityRecord {\n${members.join('\n')}\n}` : `export type ${entity.name} = EntityRecord;`,
    ``,
    `/** What a client sends to create or replace ${one} (the contract's ${entity.name}Input). */`,
    `export type ${entity.name}Input = Omit<${entity.name}, keyof EntityRecord>;`,
    ``,
    `/** The declared fields of ${one}, checked by \`checkFields\`. */`,
    specs.length ? `export const FIELDS: readonly FieldSpec[] = [\n${specs.join('\n')}\n];` : `export const FIELDS: readonly FieldSpec[] = [];`,
    ``,
  ].join('\n');
}
