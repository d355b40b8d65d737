import { registerPrincipalGuard } from '../shared/platform/auth/principalGuards';
import { platformRouteDeps } from '../shared/platform/composition';
import { registerEventSubscriber } from '../shared/platform/eventSubscribers';
import { registerRoute } from '../shared/platform/http/route';
import { tenantRegistryFor } from '../shared/tenancy/registry';
import { tenancyRoutes } from '../shared/tenancy/handlers';
import { TenantStatusGuard } from '../shared/tenancy/statusGuard';

for (const route of tenancyRoutes) registerRoute(route, platformRouteDeps);

// Keys and tokens of suspended or deleted tenants stop working with the next request.
registerPrincipalGuard((deps) => new TenantStatusGuard(deps));

// The platform's tenant registry follows the tenant events (repairs an entry a crash left stale).
registerEventSubscriber(tenantRegistryFor);
