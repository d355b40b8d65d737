import { platformRouteDeps } from '../shared/platform/composition';
import { registerRoute } from '../shared/platform/http/route';
import { projectRoutes } from '../shared/projects/handlers';

for (const route of projectRoutes) registerRoute(route, platformRouteDeps);
