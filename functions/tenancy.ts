import { registerPrincipalGuard } from '../shared/platform/auth/principalGuards';
import { platformRouteDeps } from '../shared/platform/composition';
import { registerRoute } from '../shared/platform/http/route';
import { tenancyRoutes } from '../shared/tenancy/handlers';
import { TenantStatusGuard } from '../shared/tenancy/statusGuard';

for (const route of tenancyRoutes) registerRoute(route, platformRouteDeps);

// Keys and tokens of suspended or deleted tenants stop working with the next request.
registerPrincipalGuard((deps) => new TenantStatusGuard(deps));
