import { app } from '@azure/functions';
import * as df from 'durable-functions';
import { platformRouteDeps } from '../shared/platform/composition';
import { registerRoute } from '../shared/platform/http/route';
import { runtimeRoutes } from '../shared/delivery/runtimeHandlers';
import { reconcileOnStart, runDriftSweep } from '../shared/delivery/driftTimer';
import '../orchestrations/driftRemediation';

for (const route of runtimeRoutes) registerRoute(route, platformRouteDeps);

// Every 3 minutes unless FACTORY_DRIFT_SCAN_SCHEDULE says otherwise (Argo CD's reconciliation period).
app.timer('driftScan', {
  schedule: process.env.FACTORY_DRIFT_SCAN_SCHEDULE || '0 */3 * * * *',
  extraInputs: [df.input.durableClient()],
  handler: async (_timer, context) => {
    const sweep = await runDriftSweep(df.getClient(context));
    context.log(JSON.stringify({ driftScan: sweep }));
  },
});

// Local runtime: after a restart (or kill -9) of the host, running replicas are re-adopted and missing ones started.
app.timer('runtimeReconcile', {
  schedule: '0 0 0 1 1 *',
  runOnStartup: true,
  handler: async (_timer, context) => {
    const result = await reconcileOnStart();
    if (result) context.log(JSON.stringify({ runtimeReconcile: result }));
  },
});
