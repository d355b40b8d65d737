import { platformRouteDeps } from '../shared/platform/composition';
import { registerRoute } from '../shared/platform/http/route';
import { workflowRoutes } from '../shared/workflows/handlers';
import '../orchestrations/projectBootstrap';
import '../orchestrations/microserviceAssembly';
import '../orchestrations/agentTask';
import '../orchestrations/approvalGate';

for (const route of workflowRoutes) registerRoute(route, platformRouteDeps);
