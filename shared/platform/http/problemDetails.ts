import { z } from 'zod';
import { InvalidContinuation, StoreConflict, StoreNotFound } from '../ports';
import { Conflict, FactoryError, NotFound, Validation } from './errors';

/** The media type of every error response. */
export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

/** RFC 9457 problem details as the factory sends them (also the OpenAPI error schema). */
export const problemDetailsSchema = z
  .object({
    type: z.string().describe('URI identifying the problem type'),
    title: z.string(),
    status: z.number().int(),
    detail: z.string(),
    code: z.string().describe('Stable machine-readable error code'),
    errors: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
    traceId: z.string().describe('W3C trace id of the request; quote it when reporting a problem'),
  })
  .meta({ id: 'ProblemDetails' });

export type ProblemDetails = z.infer<typeof problemDetailsSchema>;

/** `type` URIs are tag URIs (RFC 4151): stable identifiers, never dereferenced. */
export function problemType(code: string): string {
  return `tag:software-factory,2025:problems/${code}`;
}

/**
 * Maps anything thrown to problem details. Typed errors keep their status, code and detail; store
 * conflicts/misses become 409/404; everything else is a 500 that reveals nothing but the traceId.
 */
export function toProblemDetails(error: unknown, traceId: string): ProblemDetails {
  const known = toFactoryError(error);
  if (!known) {
    return { type: problemType('InternalError'), title: 'Internal Server Error', status: 500, detail: 'An unexpected error occurred.', code: 'InternalError', traceId };
  }
  return {
    type: problemType(known.code),
    title: known.title,
    status: known.status,
    detail: known.message,
    code: known.code,
    ...(known instanceof Validation ? { errors: known.errors } : {}),
    traceId,
  };
}

/** The typed error behind a throwable, or `undefined` for an unexpected one (a 500). */
export function toFactoryError(error: unknown): FactoryError | undefined {
  if (error instanceof FactoryError) return error;
  if (error instanceof StoreConflict) return new Conflict('The resource was changed or already exists; read it again and retry.');
  if (error instanceof StoreNotFound) return new NotFound();
  if (error instanceof InvalidContinuation) return new Validation([{ path: 'query.continuation', message: 'not a continuation token of this list' }]);
  return undefined;
}
