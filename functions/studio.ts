import { app } from '@azure/functions';
import { platformRouteDeps } from '../shared/platform/composition';
import { registerRoute } from '../shared/platform/http/route';
import { serveStudio, studioRoutes } from '../shared/studio/handlers';

for (const route of studioRoutes) registerRoute(route, platformRouteDeps);

// The Studio answers every GET outside /api (routePrefix is "" in host.json): `api/{*path}` and the
// host's /admin and /runtime routes take precedence, so this catch-all only sees the UI's paths.
app.http('studio', {
  route: '{*path}',
  methods: ['GET', 'HEAD'],
  authLevel: 'anonymous',
  handler: serveStudio,
});
