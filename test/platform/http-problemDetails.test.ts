import { Conflict, Forbidden, NotFound, PayloadTooLarge, QuotaExceeded, Unauthorized, Validation } from '../../shared/platform/http/errors';
import { problemDetailsSchema, toProblemDetails } from '../../shared/platform/http/problemDetails';
import { StoreConflict, StoreNotFound } from '../../shared/platform/ports';

const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';

describe('toProblemDetails', () => {
  it.each([
    [new NotFound(), 404, 'NotFound'],
    [new Conflict(), 409, 'Conflict'],
    [new Validation([{ path: 'body.name', message: 'Required' }]), 400, 'ValidationFailed'],
    [new Unauthorized(), 401, 'Unauthorized'],
    [new Forbidden(), 403, 'Forbidden'],
    [new QuotaExceeded(), 429, 'QuotaExceeded'],
    [new PayloadTooLarge(1024), 413, 'PayloadTooLarge'],
  ])('maps %p to its status and stable code', (error, status, code) => {
    const problem = toProblemDetails(error, traceId);
    expect(problem).toMatchObject({ status, code, traceId, detail: error.message, type: expect.stringContaining(code) });
    expect(problemDetailsSchema.parse(problem)).toEqual(problem);
  });

  it('lists every field error of a validation error', () => {
    const errors = [
      { path: 'body.spec.modules[0].name', message: 'Required' },
      { path: 'query.limit', message: 'Too big' },
    ];
    expect(toProblemDetails(new Validation(errors), traceId).errors).toEqual(errors);
  });

  it('keeps a context-specific code', () => {
    expect(toProblemDetails(new QuotaExceeded('Monthly budget used up', { code: 'BudgetExceeded' }), traceId)).toMatchObject({ status: 429, code: 'BudgetExceeded', detail: 'Monthly budget used up' });
  });

  it('maps store conflicts and misses to 409 and 404 without their internal message', () => {
    const conflict = toProblemDetails(new StoreConflict('etag mismatch on identity/acme/k1'), traceId);
    expect(conflict).toMatchObject({ status: 409, code: 'Conflict' });
    expect(conflict.detail).not.toContain('identity/acme');
    expect(toProblemDetails(new StoreNotFound('x'), traceId)).toMatchObject({ status: 404, code: 'NotFound' });
  });

  it('hides everything about an unknown throwable but the traceId', () => {
    const problem = toProblemDetails(new TypeError('cannot read secretThing of undefined at /srv/app.js'), traceId);
    expect(problem).toEqual({ type: expect.any(String), title: 'Internal Server Error', status: 500, detail: 'An unexpected error occurred.', code: 'InternalError', traceId });
    expect(toProblemDetails('a string', traceId).status).toBe(500);
  });
});
