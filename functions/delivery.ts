import { platformRouteDeps } from '../shared/platform/composition';
import { registerRoute } from '../shared/platform/http/route';
import { deliveryRoutes } from '../shared/delivery/handlers';
import { milestoneRoutes } from '../shared/delivery/milestoneHandlers';
import '../orchestrations/release';
import '../orchestrations/milestone';

for (const route of [...deliveryRoutes, ...milestoneRoutes]) registerRoute(route, platformRouteDeps);
