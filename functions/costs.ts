import { app } from '@azure/functions';
import { costRoutes, runCostRollup } from '../shared/costs/handlers';
import { platformRouteDeps } from '../shared/platform/composition';
import { registerRoute } from '../shared/platform/http/route';

for (const route of costRoutes) registerRoute(route, platformRouteDeps);

// Hourly: usage records into daily and monthly totals; BudgetExceeded once per month and scope.
app.timer('costRollup', {
  schedule: '0 0 * * * *',
  handler: async () => {
    await runCostRollup();
  },
});
