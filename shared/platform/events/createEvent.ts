import { randomUUID } from 'node:crypto';
import type { z } from 'zod';
import { formatIssuePath } from '../http/validation';
import { eventCatalog, type EventCatalog, type EventData, type EventType } from './catalog';
import { cloudEventSchema, type CloudEvent } from './cloudEvent';

/** Where an event comes from: tenant, project, trace and the optional agent/workflow/subject. */
export interface EventContext {
  tenantId: string;
  projectId?: string;
  /** W3C trace id (32 hex) of the request or workflow that caused the event. */
  traceId: string;
  agentId?: string;
  workflowId?: string;
  /** The resource the event is about, e.g. `blueprints/3`. */
  subject?: string;
  /** Defaults to a random UUID. */
  id?: string;
  /** Defaults to now. */
  time?: Date;
}

/** A producer built an event that breaks its schema, or a consumer received one: a bug, not a client error. */
export class EventValidationError extends Error {
  constructor(
    readonly eventType: string,
    readonly issues: { path: string; message: string }[],
  ) {
    super(`Invalid ${eventType} event: ${issues.map((i) => `${i.path || '(root)'} ${i.message}`).join('; ')}`);
    this.name = 'EventValidationError';
  }
}

/** Builds a CloudEvent of a catalogued type; `data` is validated against the type's schema. */
export function createEvent<T extends EventType>(type: T, data: z.input<EventCatalog[T]['data']>, context: EventContext): CloudEvent<EventData<T>> {
  const parsed = (eventCatalog[type].data as z.ZodType).safeParse(data);
  if (!parsed.success) throw new EventValidationError(type, parsed.error.issues.map((i) => ({ path: formatIssuePath(i.path, 'data'), message: i.message })));
  const source = `/tenants/${encodeURIComponent(context.tenantId)}${context.projectId ? `/projects/${encodeURIComponent(context.projectId)}` : ''}`;
  const event = {
    id: context.id ?? randomUUID(),
    source,
    type,
    specversion: '1.0' as const,
    time: (context.time ?? new Date()).toISOString(),
    datacontenttype: 'application/json' as const,
    ...(context.subject ? { subject: context.subject } : {}),
    traceid: context.traceId,
    tenantid: context.tenantId,
    ...(context.projectId ? { projectid: context.projectId } : {}),
    ...(context.agentId ? { agentid: context.agentId } : {}),
    ...(context.workflowId ? { workflowid: context.workflowId } : {}),
    data: parsed.data as EventData<T>,
  };
  const envelope = cloudEventSchema.safeParse(event);
  if (!envelope.success) throw new EventValidationError(type, envelope.error.issues.map((i) => ({ path: formatIssuePath(i.path), message: i.message })));
  return event;
}

/** Validates a received event: the envelope, a known type, and its data. */
export function parseEvent(raw: unknown): CloudEvent<EventData<EventType>> & { type: EventType } {
  const envelope = cloudEventSchema.safeParse(raw);
  if (!envelope.success) throw new EventValidationError('unknown', envelope.error.issues.map((i) => ({ path: formatIssuePath(i.path), message: i.message })));
  const type = envelope.data.type;
  if (!isEventType(type)) throw new EventValidationError(type, [{ path: 'type', message: 'not in the event catalog' }]);
  const data = (eventCatalog[type].data as z.ZodType).safeParse(envelope.data.data);
  if (!data.success) throw new EventValidationError(type, data.error.issues.map((i) => ({ path: formatIssuePath(i.path, 'data'), message: i.message })));
  return { ...envelope.data, type, data: data.data as EventData<EventType> };
}

/** True when `type` is in the catalog. */
export function isEventType(type: string): type is EventType {
  return Object.prototype.hasOwnProperty.call(eventCatalog, type);
}
