import { blueprintRoutes } from '../shared/blueprints/handlers';
import { lintBlueprintText } from '../shared/blueprints/validateRoute';
import { platformRouteDeps } from '../shared/platform/composition';
import { registerRoute } from '../shared/platform/http/route';

for (const route of [lintBlueprintText, ...blueprintRoutes]) registerRoute(route, platformRouteDeps);
