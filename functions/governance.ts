import { governanceRoutes } from '../shared/governance/handlers';
import { platformRouteDeps } from '../shared/platform/composition';
import { registerRoute } from '../shared/platform/http/route';

for (const route of governanceRoutes) registerRoute(route, platformRouteDeps);
