import type { HttpHandler, HttpRequest, HttpResponseInit, InvocationContext } from '@azure/functions';
import type { z } from 'zod';
import { canActInTenant, hasAnyRole, type Principal } from '../auth/principal';
import type { Role } from '../auth/roles';
import { runInTrace } from '../telemetry/propagation';
import { redact } from '../telemetry/redact';
import type { Span, Telemetry } from '../telemetry/telemetry';
import { Forbidden, NotFound, Validation, type FieldError } from './errors';
import { PROBLEM_CONTENT_TYPE, toFactoryError, toProblemDetails } from './problemDetails';
import { DEFAULT_MAX_BODY_BYTES, readRequestBody } from './requestBody';
import type { RouteDefinition, RouteDeps, RouteDepsSource, RouteResult } from './route';
import { toFieldErrors } from './validation';

const TENANT_ROUTE = /^\/?tenants\/\{tenantId(?::[^}]*)?\}(\/|$)/;

/**
 * The Functions handler of a route: trace context, auth, tenant scope, roles, body limit, JSON
 * parsing, validation of params/query/body (every issue), the handler, and one mapping of errors to
 * problem+json. Every response carries `x-trace-id`; the route's span is the active trace context, so an
 * orchestration the handler starts runs in the request's trace.
 */
export function toHttpHandler(route: RouteDefinition, source: RouteDepsSource): HttpHandler {
  let deps: Promise<RouteDeps> | undefined;
  const resolveDeps = () => (deps ??= Promise.resolve(typeof source === 'function' ? source() : source));
  return async (request, context) => {
    let telemetry: Telemetry | undefined;
    let span: Span | undefined;
    let traceId = '';
    try {
      const resolved = await resolveDeps();
      span = resolved.telemetry.startSpan(`${route.method} ${route.path}`, {
        traceparent: request.headers.get('traceparent') ?? context.traceContext?.traceParent ?? undefined,
        fields: { operationId: route.operationId },
      });
      traceId = span.traceId;
      telemetry = resolved.telemetry.child({ traceId });
      const trace = { span, telemetry };
      const result = await runInTrace(span.traceparent, () => invoke(route, resolved, request, context, trace));
      const response = toResponse(result, traceId);
      span.end({ fields: { status: response.status } });
      return response;
    } catch (error) {
      traceId ||= context.traceContext?.traceParent?.split('-')[1] ?? context.invocationId;
      const problem = toProblemDetails(error, traceId);
      if (problem.status >= 500) {
        if (telemetry) telemetry.trackException(error, { operationId: route.operationId });
        else context.error('route failed before telemetry was available', redact(error));
      }
      span?.end({ ok: problem.status < 500, fields: { status: problem.status, code: problem.code } });
      return {
        status: problem.status,
        headers: { ...toFactoryError(error)?.headers, 'content-type': PROBLEM_CONTENT_TYPE, 'x-trace-id': traceId },
        body: JSON.stringify(problem),
      };
    }
  };
}

async function invoke(
  route: RouteDefinition,
  deps: RouteDeps,
  request: HttpRequest,
  context: InvocationContext,
  trace: { span: Span; telemetry: Telemetry },
): Promise<RouteResult> {
  let principal: Principal | null = null;
  if (route.auth !== 'anonymous') {
    await deps.rateLimiter?.refuseEarly?.(request.headers.get('authorization'));
    principal = await deps.authenticator.authenticate(request.headers.get('authorization'));
    authorize(route, principal, request.params.tenantId, route.auth.roles);
    await deps.rateLimiter?.admit(principal, request.params.tenantId, route.method);
  }
  const rawBody = route.body ? await readRequestBody(request, route.maxBodyBytes ?? deps.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES, route.bodyFormat ?? 'json') : undefined;
  const errors: FieldError[] = [];
  const params = validate(route.params, { ...request.params }, 'params', errors);
  const query = validate(route.query, toQueryObject(request.query), 'query', errors);
  const body = validate(route.body, rawBody, 'body', errors);
  if (errors.length > 0) throw new Validation(errors);
  return route.handler({ params, query, body, principal, traceId: trace.span.traceId, traceparent: trace.span.traceparent, telemetry: trace.telemetry, request, context } as never);
}

/** Tenant scope before roles, so a caller from another tenant learns nothing: 404, never 403. */
function authorize(route: RouteDefinition, principal: Principal, tenantId: string | undefined, roles: readonly Role[]): void {
  if (TENANT_ROUTE.test(route.path) && (tenantId === undefined || !canActInTenant(principal, tenantId))) throw new NotFound();
  if (!hasAnyRole(principal, roles)) throw new Forbidden();
}

function validate(schema: unknown, value: unknown, prefix: string, errors: FieldError[]): unknown {
  if (!schema) return value;
  const parsed = (schema as z.ZodType).safeParse(value);
  if (parsed.success) return parsed.data;
  errors.push(...toFieldErrors(parsed.error.issues, prefix));
  return undefined;
}

function toQueryObject(query: URLSearchParams): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const key of new Set(query.keys())) {
    const values = query.getAll(key);
    out[key] = values.length === 1 ? values[0] : values;
  }
  return out;
}

function toResponse(result: RouteResult, traceId: string): HttpResponseInit {
  const headers = { ...result.headers, 'x-trace-id': traceId };
  const { body } = result;
  const status = result.status ?? (body === undefined ? 204 : 200);
  if (body === undefined) return { status, headers };
  if (typeof body === 'string' || body instanceof Uint8Array) return { status, headers, body };
  return { status, headers, jsonBody: body };
}
