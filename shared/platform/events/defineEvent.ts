import type { z } from 'zod';

/** One event type of the catalog: its versioned name and the zod schema of its `data`. */
export interface EventDefinition<T extends string = string, S extends z.ZodType = z.ZodType> {
  type: T;
  data: S;
}

/** Declares an event type, e.g. `defineEvent('BlueprintValidated.v1', z.object({ ... }))`. */
export function defineEvent<T extends `${string}.v${number}`, S extends z.ZodType>(type: T, data: S): EventDefinition<T, S> {
  return { type, data };
}

/** A record of definitions keyed by type, built from a list (so each type is written once). */
export type EventCatalogOf<D extends readonly EventDefinition[]> = { [E in D[number] as E['type']]: E };

/** Builds the catalog record from definitions; a type defined twice is a bug. */
export function toEventCatalog<const D extends readonly EventDefinition[]>(...definitions: D): EventCatalogOf<D> {
  const catalog: Record<string, EventDefinition> = {};
  for (const definition of definitions) {
    if (catalog[definition.type]) throw new Error(`Event type ${definition.type} is defined twice`);
    catalog[definition.type] = definition;
  }
  return catalog as EventCatalogOf<D>;
}
