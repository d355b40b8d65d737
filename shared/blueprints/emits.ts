import { z } from 'zod';
import type { LocatedProblem } from './problems';
import { asList, asObject, asText, type ModuleView } from './rawDocument';

/** The entity change an operation makes: `created` (POST), `updated` (PUT), `deleted` (DELETE). */
export type EntityChange = 'created' | 'updated' | 'deleted';

/** `Loan.created`: the operation an emitted event is published on. */
export const EMIT_TRIGGER = /^([A-Z][A-Za-z0-9]*)\.(created|updated|deleted)$/;

/** An emitted event bound to the entity change that publishes it, `{ event: BookLent.v1, on: Loan.created }`. */
export interface EmitBinding {
  event: string;
  on: string;
}

/**
 * One entry of `events.emits`: an event name (the short form, bound by {@link shortFormTrigger}) or
 * `{ event, on }` naming the entity change explicitly.
 */
export function emitEntrySchema(eventName: z.ZodType<string>) {
  return z.union([
    eventName,
    z.strictObject({
      event: eventName,
      on: z.string().refine((value) => EMIT_TRIGGER.test(value), { message: "'on' must name an entity change, e.g. Loan.created (created, updated or deleted)." }),
    }),
  ]);
}

/** The module's `events` after reading: `emits` as names (every consumer lists names), `bindings` the explicit `on`s. */
export function toModuleEvents<T extends { emits: (string | EmitBinding)[] }>(events: T): Omit<T, 'emits'> & { emits: string[]; bindings: EmitBinding[] } {
  const bindings = events.emits.filter((entry): entry is EmitBinding => typeof entry !== 'string').map(({ event, on }) => ({ event, on }));
  return { ...events, emits: events.emits.map((entry) => (typeof entry === 'string' ? entry : entry.event)), bindings };
}

/** The inverse of `toModuleEvents`: `emits` as written, `{ event, on }` where an `on` was given. */
export function fromModuleEvents<T extends { emits: readonly string[]; bindings?: readonly EmitBinding[] }>(events: T): Omit<T, 'emits' | 'bindings'> & { emits: (string | EmitBinding)[] } {
  const { bindings = [], ...rest } = events;
  const emits = events.emits.map((event) => bindings.find((binding) => binding.event === event) ?? event);
  return { ...(rest as Omit<T, 'emits' | 'bindings'>), emits };
}

/** The event names of a raw `emits` list, either form, with their index. */
export function emittedEntries(value: unknown): { index: number; text: string }[] {
  return asList(value).flatMap((entry, index) => {
    const text = typeof entry === 'string' ? entry : asText(asObject(entry)?.event);
    return text === undefined ? [] : [{ index, text }];
  });
}

/** An explicit `on` must name an entity of the same module. */
export function checkEmitBindings(module: ModuleView): LocatedProblem[] {
  const entities = new Set(asList(module.raw.entities).flatMap((entity) => asText(asObject(entity)?.name) ?? []));
  return asList(asObject(module.raw.events)?.emits).flatMap((entry, index) => {
    const on = asText(asObject(entry)?.on);
    const entity = on ? EMIT_TRIGGER.exec(on)?.[1] : undefined;
    if (!entity || entities.has(entity)) return [];
    return [
      {
        path: [...module.path, 'events', 'emits', index, 'on'],
        code: 'UnknownRef' as const,
        message: `'${on}' names entity '${entity}', which ${module.name ?? 'this module'} does not define; an event is emitted on a change of one of the module's own entities.`,
      },
    ];
  });
}

const DELETE_VERBS = ['Deleted', 'Removed', 'Archived', 'Cancelled', 'Canceled', 'Withdrawn'];
const UPDATE_VERBS = ['Updated', 'Changed', 'Modified', 'Edited', 'Renamed', 'Rescheduled'];
const CREATE_VERBS = ['Created', 'Added', 'Booked', 'Placed', 'Registered', 'Opened', 'Submitted', 'Scheduled', 'Issued'];

/**
 * The short-form rule: an event named `<Entity><Verb>.vN`, where `<Entity>` is the longest name of
 * one of the module's entities that begins the event name, is published on
 * - `<Entity>.created` when `<Verb>` is Created, Added, Booked, Placed, Registered, Opened, Submitted, Scheduled or Issued;
 * - `<Entity>.updated` when it is Updated, Changed, Modified, Edited, Renamed or Rescheduled;
 * - `<Entity>.deleted` when it is Deleted, Removed, Archived, Cancelled, Canceled or Withdrawn.
 * Anything else (`BookLent` in a module whose entity is `Loan`, `LoanOverdue`, `PaymentReceived`)
 * is bound to no operation: write `{ event, on }` to publish it on one, or publish it from your own code.
 */
export function shortFormTrigger(event: string, entities: readonly string[]): string | undefined {
  const base = event.replace(/\.v[0-9]+$/, '');
  const entity = entities.filter((name) => base.startsWith(name)).sort((a, b) => b.length - a.length)[0];
  if (!entity) return undefined;
  const verb = base.slice(entity.length);
  if (CREATE_VERBS.includes(verb)) return `${entity}.created`;
  if (UPDATE_VERBS.includes(verb)) return `${entity}.updated`;
  if (DELETE_VERBS.includes(verb)) return `${entity}.deleted`;
  return undefined;
}

/** Every emitted event with the change that publishes it (explicit `on` first, else the short-form rule), in blueprint order. */
export function emitTriggers(module: { entities: readonly { name: string }[]; events: { emits: readonly string[]; bindings?: readonly EmitBinding[] } }): { event: string; on?: string }[] {
  const names = module.entities.map((entity) => entity.name);
  return module.events.emits.map((event) => {
    const explicit = module.events.bindings?.find((binding) => binding.event === event);
    const on = explicit?.on ?? shortFormTrigger(event, names);
    return on ? { event, on } : { event };
  });
}
