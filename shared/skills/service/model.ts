import type { Blueprint, BlueprintModule } from '../../blueprints/schemas';
import { entityFields, type EntityField } from '../fieldSchemas';
import { collectionSegment, kebabCase } from '../naming';
import { mapEmittedEvents } from './eventRule';

/** The entity change an emitted event is published on (see `eventRule.ts`). */
export type EntityAction = 'create' | 'update' | 'delete';

export interface EmittedEvent {
  /** The event type as the blueprint names it, `AppointmentBooked.v1`. */
  type: string;
  entity: string;
  action: EntityAction;
}

export interface EntityModel {
  name: string;
  /** `invoiceLine`: identifier stem in generated code. */
  camel: string;
  /** `invoice-line`: file name stem. */
  kebab: string;
  /** `invoice-lines`: the collection route segment, as in the OpenAPI contract. */
  collection: string;
  /** Declared fields, sorted by name (the contract's order); the implicit ones are not listed. */
  fields: EntityField[];
}

/** Everything the service and test generators need about one module, derived from the blueprint. */
export interface ServiceModel {
  blueprint: string;
  module: string;
  kind: BlueprintModule['kind'];
  /** `booking-service`: the module's folder among the artifacts. */
  folder: string;
  /** The module's HTTP API; absent when the blueprint declares none (then only probes and events are served). */
  api?: { routePrefix: string; versions: string[] };
  entities: EntityModel[];
  emits: EmittedEvent[];
  /** Event types the module accepts on `POST /events`, sorted. */
  consumes: string[];
}

export function toServiceModel(blueprint: Blueprint, module: BlueprintModule): ServiceModel {
  return {
    blueprint: blueprint.metadata.name,
    module: module.name,
    kind: module.kind,
    folder: kebabCase(module.name),
    ...(module.api ? { api: { routePrefix: module.api.routePrefix, versions: [...module.api.versions] } } : {}),
    entities: module.entities.map((entity) => ({
      name: entity.name,
      camel: entity.name.charAt(0).toLowerCase() + entity.name.slice(1),
      kebab: kebabCase(entity.name),
      collection: collectionSegment(entity.name),
      fields: entityFields(entity).filter((field) => !field.implicit),
    })),
    emits: mapEmittedEvents(module),
    consumes: [...new Set(module.events.consumes)].sort(),
  };
}

/** The events published when `entity` undergoes `action`, in blueprint order. */
export function eventsOn(model: ServiceModel, entity: string, action: EntityAction): string[] {
  return model.emits.filter((event) => event.entity === entity && event.action === action).map((event) => event.type);
}
