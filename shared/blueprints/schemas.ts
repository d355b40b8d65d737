import { z } from 'zod';
import { roleSchema } from '../platform/auth/roles';
import { emitEntrySchema, toModuleEvents } from './emits';
import { ENTITY_NAME, parseFieldType, type FieldType, type FieldTypeInput } from './fieldTypes';
import type { ProblemCode } from './problems';
import { scalingTriggerSchema } from './scaling';

/** Naming rules of a blueprint; each broken rule is an `InvalidName` problem. */
export const NAME_RULES = {
  blueprint: /^[a-z][a-z0-9-]{0,62}$/,
  module: /^[A-Z][A-Za-z0-9]*$/,
  entity: ENTITY_NAME,
  field: /^[a-z][A-Za-z0-9]*$/,
  event: /^[A-Z][A-Za-z0-9]*\.v[1-9][0-9]*$/,
  apiVersion: /^v[1-9][0-9]*$/,
  routePrefix: /^\/[a-z0-9-]+(\/[a-z0-9-]+)*$/,
} as const;

const VERSION_SUFFIX = /\.v[0-9]+$/;

function coded(code: ProblemCode) {
  return { params: { code } };
}

function named(pattern: RegExp, what: string, example: string) {
  return z.string().refine((value) => pattern.test(value), { message: `${what} must look like ${example}.`, ...coded('InvalidName') });
}

/** An event type name with its version suffix, `AppointmentBooked.v1`. */
export const eventNameSchema = z.string().superRefine((value, ctx) => {
  if (!VERSION_SUFFIX.test(value)) {
    ctx.addIssue({ code: 'custom', message: `Event '${value}' has no version suffix; write it as '${value}.v1'.`, ...coded('EventVersionMissing') });
  } else if (!NAME_RULES.event.test(value)) {
    ctx.addIssue({ code: 'custom', message: `Event '${value}' must be a PascalCase name with a version suffix, e.g. AppointmentBooked.v1.`, ...coded('InvalidName') });
  }
});

/**
 * A field type: reads `FieldTypeInput` and yields the normalized `FieldType`; problems keep the
 * codes `parseFieldType` gives them.
 */
export const fieldTypeSchema = z.unknown().transform((value, ctx): FieldType => {
  const reading = parseFieldType(value);
  for (const problem of reading.problems) {
    ctx.addIssue({ code: 'custom', path: [...problem.path], message: problem.message, ...coded(problem.code) });
  }
  return reading.type ?? (z.NEVER as FieldType);
}) as unknown as z.ZodType<FieldType, FieldTypeInput>;

/** Environments a project promotes through (SPEC §5), in the blueprint's order. */
export const environmentSchema = z.enum(['dev', 'staging', 'production']);

/**
 * The edition the generated system is built for, in the tenancy's words (free, pro, enterprise:
 * one word for editions everywhere, issue 9 §5); it sets sizing and redundancy and must be within
 * the tenant's own edition (checked when a workflow starts).
 */
export const blueprintEditionSchema = z.enum(['free', 'pro', 'enterprise']);

export const moduleKindSchema = z.enum(['microservice', 'function', 'worker', 'gateway']);

export const entitySchema = z.strictObject({
  name: named(NAME_RULES.entity, 'An entity name', 'Appointment (PascalCase)'),
  description: z.string().optional(),
  fields: z.record(named(NAME_RULES.field, 'A field name', 'startsAt (camelCase)'), fieldTypeSchema),
});

export const apiSchema = z.strictObject({
  routePrefix: named(NAME_RULES.routePrefix, 'A route prefix', '/booking'),
  versions: z.array(named(NAME_RULES.apiVersion, 'An API version', 'v1')).min(1),
  /** `entra`: generated services accept only Entra ID bearer tokens for the tenant and audience they are configured with. */
  auth: z.enum(['none', 'entra']).optional(),
});

const eventList = z.array(eventNameSchema).default([]);

/**
 * `external`: events this module consumes from outside the blueprint (no module emits them).
 * `emits` entries are names or `{ event, on }` (see `emits.ts`); read, `emits` lists names and `bindings` the explicit `on`s.
 */
export const moduleEventsSchema = z
  .strictObject({ emits: z.array(emitEntrySchema(eventNameSchema)).default([]), consumes: eventList, external: eventList })
  .transform(toModuleEvents);

export const scalingSchema = z.strictObject({
  minReplicas: z.int().min(0),
  maxReplicas: z.int().min(1),
  triggers: z.array(scalingTriggerSchema).default([]),
});

export const resilienceSchema = z.strictObject({
  retries: z.strictObject({ maxAttempts: z.int().min(1).max(100), backoffSeconds: z.number().positive().optional() }).optional(),
  circuitBreaker: z.strictObject({ threshold: z.int().min(1), resetAfterSeconds: z.number().positive() }).optional(),
  timeoutSeconds: z.number().positive().optional(),
});

export const infrastructureSchema = z.strictObject({
  database: z.enum(['cosmos', 'azure-sql', 'postgresql', 'none']).optional(),
  queue: z.enum(['azure-service-bus', 'storage-queue', 'none']).optional(),
});

export const moduleSchema = z.strictObject({
  name: named(NAME_RULES.module, 'A module name', 'BookingService (PascalCase)'),
  kind: moduleKindSchema,
  description: z.string().optional(),
  entities: z.array(entitySchema).default([]),
  api: apiSchema.optional(),
  events: moduleEventsSchema.default({ emits: [], consumes: [], external: [], bindings: [] }),
  dependsOn: z.array(named(NAME_RULES.module, 'A module name', 'NotificationService')).default([]),
  scaling: scalingSchema.optional(),
  resilience: resilienceSchema.optional(),
  infrastructure: infrastructureSchema.optional(),
});

/** `approvals`: per environment, the roles whose approval a release needs before deploying there. */
export const releaseSchema = z.strictObject({
  approvals: z.record(z.string(), z.array(roleSchema).min(1)).default({}),
});

export const costSchema = z.strictObject({ monthlyBudgetUsd: z.number().nonnegative() });

/** `external`: events consumed by any module that come from outside the blueprint. */
export const specEventsSchema = z.strictObject({ external: eventList });

export const blueprintSchema = z.strictObject({
  apiVersion: z.literal('factory/v1'),
  kind: z.literal('Blueprint'),
  metadata: z.strictObject({
    name: named(NAME_RULES.blueprint, 'A blueprint name', 'vetclinic (lowercase, digits and -)'),
    description: z.string().optional(),
    labels: z.record(z.string(), z.string()).optional(),
  }),
  spec: z.strictObject({
    edition: blueprintEditionSchema.optional(),
    environments: z.array(environmentSchema).min(1),
    events: specEventsSchema.default({ external: [] }),
    modules: z.array(moduleSchema).min(1),
    release: releaseSchema.optional(),
    cost: costSchema.optional(),
  }),
});

/** A blueprint as written (YAML or JSON), before normalization. */
export type BlueprintDocument = z.input<typeof blueprintSchema>;
/** A valid blueprint, normalized: field types parsed, omitted lists present and empty. */
export type Blueprint = z.output<typeof blueprintSchema>;
export type BlueprintSpec = Blueprint['spec'];
export type BlueprintModule = z.output<typeof moduleSchema>;
export type BlueprintEntity = z.output<typeof entitySchema>;
export type BlueprintEdition = z.output<typeof blueprintEditionSchema>;
export type Environment = z.output<typeof environmentSchema>;
export type ModuleKind = z.output<typeof moduleKindSchema>;
export type ModuleEvents = z.output<typeof moduleEventsSchema>;
export type ModuleApi = z.output<typeof apiSchema>;
export type ModuleScaling = z.output<typeof scalingSchema>;
export type ModuleResilience = z.output<typeof resilienceSchema>;
export type ModuleInfrastructure = z.output<typeof infrastructureSchema>;
export type ReleasePolicy = z.output<typeof releaseSchema>;
export type CostPolicy = z.output<typeof costSchema>;
