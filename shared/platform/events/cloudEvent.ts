import { z } from 'zod';

/**
 * The CloudEvents 1.0 envelope of every factory event (structured JSON mode). `source` is
 * `/tenants/{t}/projects/{p}`, or `/tenants/{t}` for tenant-level events; extension attributes are
 * lowercase as CloudEvents requires and absent (never null) when they do not apply.
 */
export const cloudEventSchema = z.object({
  id: z.string().min(1),
  source: z.string().regex(/^\/tenants\/[^/]+(\/projects\/[^/]+)?$/, 'expected /tenants/{t} or /tenants/{t}/projects/{p}'),
  type: z.string().regex(/^[A-Z][A-Za-z0-9]*\.v[1-9][0-9]*$/, 'expected a versioned type such as BlueprintValidated.v1'),
  specversion: z.literal('1.0'),
  time: z.iso.datetime({ offset: true }),
  datacontenttype: z.literal('application/json'),
  subject: z.string().min(1).optional(),
  traceid: z.string().regex(/^[0-9a-f]{32}$/, 'expected a W3C trace id (32 hex)'),
  tenantid: z.string().min(1),
  projectid: z.string().min(1).optional(),
  agentid: z.string().min(1).optional(),
  workflowid: z.string().min(1).optional(),
  data: z.unknown(),
});

/** A factory event whose `data` has the type of its catalog schema. */
export type CloudEvent<T = unknown> = Omit<z.infer<typeof cloudEventSchema>, 'data'> & { data: T };
