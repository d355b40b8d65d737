import type { HttpRequest, HttpResponseInit, InvocationContext } from '@azure/functions';
import { buildOpenApi } from './openapi';
import { registeredRoutes } from './routeRegistry';

/** `GET /api/openapi.json`: the OpenAPI 3.1 document of every route registered in this process. */
export async function getOpenApiDocument(_request: HttpRequest, _context: InvocationContext): Promise<HttpResponseInit> {
  return { status: 200, jsonBody: buildOpenApi(registeredRoutes()), headers: { 'cache-control': 'no-cache' } };
}
