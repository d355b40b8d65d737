import { platformRouteDeps } from '../shared/platform/composition';
import { registerRoute } from '../shared/platform/http/route';
import { deliveryRoutes } from '../shared/delivery/handlers';
import '../orchestrations/release';

for (const route of deliveryRoutes) registerRoute(route, platformRouteDeps);
