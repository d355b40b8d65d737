import { app, type FunctionInput, type HttpMethod, type HttpRequest, type InvocationContext } from '@azure/functions';
import type { z } from 'zod';
import type { Authenticator } from '../auth/authenticator';
import type { Principal } from '../auth/principal';
import type { Role } from '../auth/roles';
import type { Telemetry } from '../telemetry/telemetry';
import type { RequestAdmission } from './rateLimit';
import { toHttpHandler } from './httpHandler';
import { addRegisteredRoute } from './routeRegistry';

/** Who may call a route: anyone, or an authenticated principal holding one of `roles` (PlatformAdmin always may). */
export type RouteAuth = 'anonymous' | { roles: readonly Role[] };

type Infer<S, Fallback> = S extends z.ZodType ? z.output<S> : Fallback;

/** What a handler receives: validated params, query and body, the caller and the trace. */
export interface RouteInput<P, Q, B, A extends RouteAuth> {
  params: Infer<P, Record<string, string>>;
  query: Infer<Q, Record<string, string | string[]>>;
  body: Infer<B, undefined>;
  principal: A extends 'anonymous' ? null : Principal;
  traceId: string;
  /** `traceparent` naming this request's span, to pass on to messages and orchestrations. */
  traceparent: string;
  /** Telemetry whose records carry this request's traceId. */
  telemetry: Telemetry;
  request: HttpRequest;
  context: InvocationContext;
}

/** What a handler answers. `body` is sent as JSON unless it is a string or bytes; default status 200, or 204 without a body. */
export interface RouteResult {
  status?: number;
  body?: unknown;
  headers?: Record<string, string>;
}

/** One HTTP operation: enough to register it with the Functions host and to describe it in OpenAPI. */
export interface RouteSpec<P = unknown, Q = unknown, B = unknown, A extends RouteAuth = RouteAuth> {
  method: HttpMethod;
  /** Functions route template without the `api` prefix, e.g. `tenants/{tenantId}/projects/{projectId}`. */
  path: string;
  /** Function name and OpenAPI operationId; derived from method and path when absent. */
  operationId?: string;
  summary: string;
  description?: string;
  tags: string[];
  auth: A;
  params?: P;
  query?: Q;
  body?: B;
  /** `json-or-yaml` also accepts `application/yaml` bodies (blueprints). Default `json`. */
  bodyFormat?: 'json' | 'json-or-yaml';
  /** Body size limit in bytes (default 1 MiB, or the deps' value). */
  maxBodyBytes?: number;
  /** Input bindings the handler reads from `context` (e.g. the durable client). */
  extraInputs?: FunctionInput[];
  /** Success responses by status: a zod schema of the JSON body, or a description when there is no body. */
  responses: Record<number, z.ZodType | string>;
  handler(input: RouteInput<P, Q, B, A>): Promise<RouteResult>;
}

/** A route as defined: its spec with a settled operationId. */
export type RouteDefinition<P = unknown, Q = unknown, B = unknown, A extends RouteAuth = RouteAuth> = RouteSpec<P, Q, B, A> & { operationId: string };

/** What every route needs at request time, built once by the composition root. */
export interface RouteDeps {
  authenticator: Authenticator;
  telemetry: Telemetry;
  /** Default body limit in bytes (1 MiB when absent). */
  maxBodyBytes?: number;
  /** Rate limits per principal and tenant, applied after auth and before the body is read. */
  rateLimiter?: RequestAdmission;
}

/** Deps now, or a function that builds them on first request (function files register before the root exists). */
export type RouteDepsSource = RouteDeps | (() => RouteDeps | Promise<RouteDeps>);

/** Defines a route; the types of params, query and body flow from their zod schemas into the handler. */
export function defineRoute<
  P extends z.ZodType | undefined = undefined,
  Q extends z.ZodType | undefined = undefined,
  B extends z.ZodType | undefined = undefined,
  A extends RouteAuth = RouteAuth,
>(spec: RouteSpec<P, Q, B, A>): RouteDefinition<P, Q, B, A> {
  return { ...spec, operationId: spec.operationId ?? toOperationId(spec.method, spec.path) };
}

/**
 * Where the API lives. host.json sets `routePrefix: ""` so that the Studio can answer `/`; every
 * API route (and the few plain `app.http` ones: health, openapi.json, the 404 catch-all) is
 * registered under this prefix instead, which keeps the public URLs `/api/...` unchanged.
 */
export const API_PREFIX = 'api';

/** `tenants/{tenantId}` → `api/tenants/{tenantId}`: the Functions route of an API path. */
export function apiRoute(path: string): string {
  return `${API_PREFIX}/${path.replace(/^\/+/, '')}`;
}

/** Registers the route with the Functions host (`authLevel: 'anonymous'`: the wrapper does auth) and with the OpenAPI document. */
export function registerRoute(route: RouteDefinition, deps: RouteDepsSource): void {
  addRegisteredRoute(route);
  app.http(route.operationId, {
    methods: [route.method],
    route: apiRoute(route.path),
    authLevel: 'anonymous',
    extraInputs: route.extraInputs,
    handler: toHttpHandler(route, deps),
  });
}

/** `GET tenants/{tenantId}/projects/{projectId}` → `getTenantsProjectsByProjectId`. */
export function toOperationId(method: string, path: string): string {
  const segments = path.split('/').filter(Boolean);
  const words = segments
    .map((segment, index) => {
      const param = /^\{([^}:?]+)/.exec(segment);
      if (param) return index === segments.length - 1 ? `By${capitalize(param[1])}` : '';
      return capitalize(segment.replace(/[^A-Za-z0-9]+(.)?/g, (_m, next: string | undefined) => (next ?? '').toUpperCase()));
    })
    .join('');
  return `${method.toLowerCase()}${words}`;
}

function capitalize(word: string): string {
  return word.charAt(0).toUpperCase() + word.slice(1);
}
