import { agentRoutes } from '../shared/agents/handlers';
import { platformRouteDeps } from '../shared/platform/composition';
import { registerRoute } from '../shared/platform/http/route';

for (const route of agentRoutes) registerRoute(route, platformRouteDeps);
