import { platformRouteDeps } from '../shared/platform/composition';
import { registerRoute } from '../shared/platform/http/route';
import { identityRoutes } from '../shared/identity/handlers';

for (const route of identityRoutes) registerRoute(route, platformRouteDeps);
