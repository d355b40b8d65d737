import { app } from '@azure/functions';
import { platformRouteDeps } from '../shared/platform/composition';
import { registerRoute } from '../shared/platform/http/route';
import { serveStudio, studioConfig, studioRoutes } from '../shared/studio/handlers';

for (const route of studioRoutes) registerRoute(route, platformRouteDeps);

app.hook.appStart(() => {
  studioConfig();
});

// The Studio answers every GET outside /api (routePrefix is "" in host.json). The constraint keeps
// the catch-all off /api, /admin and /runtime even where a host would let a catch-all shadow its
// own routes (azure-functions-host#2590, #6990); `api/{*path}` answers unknown API paths.
app.http('studio', {
  route: '{*path:regex(^(?!(api|admin|runtime)(\\W|$)).*$)}',
  methods: ['GET', 'HEAD'],
  authLevel: 'anonymous',
  handler: serveStudio,
});
