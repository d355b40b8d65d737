import { auditRoutes } from '../shared/audit/handlers';
import { platformRouteDeps } from '../shared/platform/composition';
import { registerRoute } from '../shared/platform/http/route';

for (const route of auditRoutes) registerRoute(route, platformRouteDeps);
