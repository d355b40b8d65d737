import type { RouteDefinition } from './route';

const routes = new Map<string, RouteDefinition>();

/** Records a registered route for the OpenAPI document; a second route with the same operationId is a bug. */
export function addRegisteredRoute(route: RouteDefinition): void {
  if (routes.has(route.operationId)) throw new Error(`Route ${route.operationId} is registered twice; give one an explicit operationId`);
  routes.set(route.operationId, route);
}

/** Every route registered in this process, in registration order. */
export function registeredRoutes(): RouteDefinition[] {
  return [...routes.values()];
}
