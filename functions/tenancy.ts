import { platformRouteDeps } from '../shared/platform/composition';
import { registerRoute } from '../shared/platform/http/route';
import { tenancyRoutes } from '../shared/tenancy/handlers';

for (const route of tenancyRoutes) registerRoute(route, platformRouteDeps);
