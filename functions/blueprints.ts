import { blueprintRoutes } from '../shared/blueprints/handlers';
import { platformRouteDeps } from '../shared/platform/composition';
import { registerRoute } from '../shared/platform/http/route';

for (const route of blueprintRoutes) registerRoute(route, platformRouteDeps);
