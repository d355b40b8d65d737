import { blueprintRoutes } from '../shared/blueprints/handlers';
import { validateBlueprint } from '../shared/blueprints/validateRoute';
import { platformRouteDeps } from '../shared/platform/composition';
import { registerRoute } from '../shared/platform/http/route';

for (const route of [validateBlueprint, ...blueprintRoutes]) registerRoute(route, platformRouteDeps);
