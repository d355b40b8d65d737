/** One field-level problem: `path` like `body.spec.modules[0].name` ('' for the whole body). */
export interface FieldError {
  path: string;
  message: string;
}

/**
 * Base of the typed errors a handler or service throws on purpose. Each carries its HTTP status and
 * a stable `code` clients can branch on; `toProblemDetails` turns it into problem+json.
 */
export abstract class FactoryError extends Error {
  abstract readonly status: number;
  abstract readonly title: string;
  readonly code: string;
  /** Extra response headers (e.g. `Retry-After`, `WWW-Authenticate`). */
  readonly headers: Record<string, string> = {};

  constructor(detail: string, code: string) {
    super(detail);
    this.name = new.target.name;
    this.code = code;
  }
}

/** 404: the resource does not exist, or the caller may not know that it does. */
export class NotFound extends FactoryError {
  readonly status = 404;
  readonly title = 'Not Found';
  constructor(detail = 'The resource was not found.', code = 'NotFound') {
    super(detail, code);
  }
}

/** 409: the change conflicts with current state (duplicate, stale ETag, wrong lifecycle state). */
export class Conflict extends FactoryError {
  readonly status = 409;
  readonly title = 'Conflict';
  constructor(detail = 'The request conflicts with the current state of the resource.', code = 'Conflict') {
    super(detail, code);
  }
}

/** 400: the request is malformed or invalid; `errors` lists every problem with its path. */
export class Validation extends FactoryError {
  readonly status = 400;
  readonly title = 'Bad Request';
  constructor(
    readonly errors: FieldError[],
    detail = 'The request is invalid.',
    code = 'ValidationFailed',
  ) {
    super(detail, code);
  }
}

/** 401: no credentials, or credentials that are unknown, expired or revoked (one message for all). */
export class Unauthorized extends FactoryError {
  readonly status = 401;
  readonly title = 'Unauthorized';
  override readonly headers = { 'WWW-Authenticate': 'Bearer' };
  constructor(detail = 'Missing or invalid credentials.', code = 'Unauthorized') {
    super(detail, code);
  }
}

/** 403: the caller is known but lacks a role this operation needs. */
export class Forbidden extends FactoryError {
  readonly status = 403;
  readonly title = 'Forbidden';
  constructor(detail = 'The caller lacks a role this operation requires.', code = 'Forbidden') {
    super(detail, code);
  }
}

/**
 * 429: a tenant quota or budget for the current period is used up. 429 rather than 403 because
 * factory quotas are per period (RFC 6585 §4 "too many requests in a given amount of time") and
 * clients should wait or upgrade, not ask for a role; `retryAfterSeconds` becomes `Retry-After`.
 */
export class QuotaExceeded extends FactoryError {
  readonly status = 429;
  readonly title = 'Too Many Requests';
  constructor(detail = 'A quota of this tenant is exhausted.', options: { code?: string; retryAfterSeconds?: number } = {}) {
    super(detail, options.code ?? 'QuotaExceeded');
    if (options.retryAfterSeconds !== undefined) this.headers['Retry-After'] = String(Math.ceil(options.retryAfterSeconds));
  }
}

/** 413: the request body is over the route's size limit. */
export class PayloadTooLarge extends FactoryError {
  readonly status = 413;
  readonly title = 'Content Too Large';
  constructor(readonly limitBytes: number, code = 'PayloadTooLarge') {
    super(`The request body exceeds the limit of ${limitBytes} bytes.`, code);
  }
}

/**
 * 412: the request's `If-Match` names a version that is no longer current (RFC 9110 §13.1.1,
 * §15.5.13). A conflict without a precondition stays 409.
 */
export class PreconditionFailed extends FactoryError {
  readonly status = 412;
  readonly title = 'Precondition Failed';
  constructor(detail = 'The resource changed since the version named in If-Match; read it again and retry.', code = 'PreconditionFailed') {
    super(detail, code);
  }
}
