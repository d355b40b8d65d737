import { z } from 'zod';

/** Identifiers in routes: short, URL-safe, no surprises. */
export const idSchema = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_-]{0,62}$/, 'letters, digits, - and _ (at most 63), starting with a letter or digit');

export const tenantParams = z.object({ tenantId: idSchema });
export const projectParams = tenantParams.extend({ projectId: idSchema });
