import { artifactRoutes } from '../shared/artifacts/handlers';
import { platformRouteDeps } from '../shared/platform/composition';
import { registerRoute } from '../shared/platform/http/route';

for (const route of artifactRoutes) registerRoute(route, platformRouteDeps);
