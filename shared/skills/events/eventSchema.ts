import type { Blueprint, BlueprintEntity, BlueprintModule } from '../../blueprints/schemas';
import { entityFields, sampleObject, toObjectSchema, type EntityField, type JsonSchema } from '../fieldSchemas';
import { eventBaseName } from '../naming';

/** Where an event's `data` comes from (see `eventDataSource`). */
export type EventDataSource =
  | { rule: 'declared'; entity: BlueprintEntity }
  | { rule: 'entity-prefix'; entity: BlueprintEntity }
  | { rule: 'first-entity'; entity: BlueprintEntity }
  | { rule: 'subject-id' }
  | { rule: 'external' };

/**
 * The rule for an emitted event's `data`: (0) the entity its `{ event, on }` names; (1) the module's entity whose name is the longest prefix
 * of the event name (`AppointmentBooked` → `Appointment`), all its fields including `id`,
 * `createdAt`, `updatedAt`; (2) otherwise the module's first entity, its aggregate root
 * (`PaymentReceived` in a module holding `Invoice` → `Invoice`); (3) a module without entities
 * sends only `{ subjectId }`. Consumed external events get an open placeholder.
 */
export function eventDataSource(module: BlueprintModule, event: string, external: boolean): EventDataSource {
  if (external) return { rule: 'external' };
  const declared = module.events.bindings.find((binding) => binding.event === event)?.on.split('.')[0];
  const bound = module.entities.find((entity) => entity.name === declared);
  if (bound) return { rule: 'declared', entity: bound };
  const base = eventBaseName(event);
  const byPrefix = module.entities
    .filter((entity) => base.startsWith(entity.name))
    .sort((a, b) => b.name.length - a.name.length)[0];
  if (byPrefix) return { rule: 'entity-prefix', entity: byPrefix };
  if (module.entities.length) return { rule: 'first-entity', entity: module.entities[0] };
  return { rule: 'subject-id' };
}

const SUBJECT_FIELDS: EntityField[] = [{ name: 'subjectId', type: { kind: 'scalar', name: 'uuid', optional: false }, implicit: false }];

function dataSchema(source: EventDataSource): JsonSchema {
  switch (source.rule) {
    case 'declared':
    case 'entity-prefix':
    case 'first-entity':
      return { ...toObjectSchema(entityFields(source.entity), false), description: `The ${source.entity.name} as it is after the change (rule: ${source.rule}).` };
    case 'subject-id':
      return { ...toObjectSchema(SUBJECT_FIELDS, false), description: 'The id of what changed; the module has no entities (rule: subject-id).' };
    case 'external':
      return { type: 'object', description: 'Defined outside this blueprint; a placeholder until its owner publishes the schema.' };
  }
}

/** The `$id` of an event's schema: `urn:factory:{blueprint}:events:{Type}`. */
export function eventSchemaId(blueprint: Blueprint, event: string): string {
  return `urn:factory:${blueprint.metadata.name}:events:${event}`;
}

/**
 * A JSON Schema (2020-12) of an event in the CloudEvents 1.0 envelope of SPEC §4: required `id`,
 * `source` (`/tenants/{t}/projects/{p}`), `type` (the event name), `specversion`, `time`,
 * `datacontenttype`, `traceid`, `tenantid`, `projectid`, `data`; optional `agentid`, `workflowid`.
 * Other attributes are allowed when named as CloudEvents requires (lowercase letters and digits).
 */
export function toEventSchema(blueprint: Blueprint, module: BlueprintModule, event: string, external: boolean): JsonSchema {
  const source = eventDataSource(module, event, external);
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    $id: eventSchemaId(blueprint, event),
    title: event,
    description: external
      ? `${event}, consumed by ${module.name} from outside blueprint ${blueprint.metadata.name}.`
      : `${event}, emitted by ${module.name} of blueprint ${blueprint.metadata.name}.`,
    type: 'object',
    'x-factory': { module: module.name, role: external ? 'consumed' : 'emitted', external, dataRule: source.rule },
    properties: {
      id: { type: 'string', minLength: 1 },
      source: { type: 'string', pattern: '^/tenants/[^/]+/projects/[^/]+$' },
      type: { type: 'string', const: event },
      specversion: { type: 'string', const: '1.0' },
      time: { type: 'string', format: 'date-time' },
      datacontenttype: { type: 'string', const: 'application/json' },
      traceid: { type: 'string', minLength: 1 },
      tenantid: { type: 'string', minLength: 1 },
      projectid: { type: 'string', minLength: 1 },
      agentid: { type: 'string' },
      workflowid: { type: 'string' },
      data: dataSchema(source),
    },
    required: ['id', 'source', 'type', 'specversion', 'time', 'datacontenttype', 'traceid', 'tenantid', 'projectid', 'data'],
    propertyNames: { pattern: '^[a-z0-9]{1,20}$' },
  };
}

/** A fixed, valid sample event for a schema built by `toEventSchema`. */
export function sampleEvent(module: BlueprintModule, event: string, external: boolean): Record<string, unknown> {
  const source = eventDataSource(module, event, external);
  const data =
    source.rule === 'declared' || source.rule === 'entity-prefix' || source.rule === 'first-entity'
      ? sampleObject(entityFields(source.entity))
      : source.rule === 'subject-id'
        ? sampleObject(SUBJECT_FIELDS)
        : {};
  return {
    id: '00000000-0000-4000-8000-00000000e001',
    source: '/tenants/sample-tenant/projects/sample-project',
    type: event,
    specversion: '1.0',
    time: '2025-01-31T09:30:00Z',
    datacontenttype: 'application/json',
    traceid: '4bf92f3577b34da6a3ce929d0e0e4736',
    tenantid: 'sample-tenant',
    projectid: 'sample-project',
    data,
  };
}
