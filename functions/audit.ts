import { auditRoutes } from '../shared/audit/handlers';
import { auditTrailFor } from '../shared/audit/trail';
import { platformRouteDeps } from '../shared/platform/composition';
import { registerEventSubscriber } from '../shared/platform/eventSubscribers';
import { registerRoute } from '../shared/platform/http/route';

for (const route of auditRoutes) registerRoute(route, platformRouteDeps);

// The audit trail consumes the event stream like any other subscriber.
registerEventSubscriber(auditTrailFor);
