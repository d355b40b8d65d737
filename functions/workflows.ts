import { platformRouteDeps } from '../shared/platform/composition';
import { registerRoute } from '../shared/platform/http/route';
import { workflowRoutes } from '../shared/workflows/handlers';
import { getWorkflowHistory } from '../shared/workflows/historyRoute';
import '../orchestrations/projectBootstrap';
import '../orchestrations/microserviceAssembly';
import '../orchestrations/agentTask';
import '../orchestrations/approvalGate';
import '../orchestrations/sprintExecution';

for (const route of [...workflowRoutes, getWorkflowHistory]) registerRoute(route, platformRouteDeps);
