import { app } from '@azure/functions';
import { getPlatform } from '../shared/platform/composition';
import { hostedInAzure, loadConfig } from '../shared/platform/config';
import { answerNotFound } from '../shared/platform/http/notFound';
import { apiRoute } from '../shared/platform/http/route';

// At start the configuration is checked (a bad setting stops the start with its name). In Azure the
// platform (store, clients, bootstrap key) is then built on first use, so the start makes no network
// call within Flex Consumption's start-up window, before new role assignments may have propagated.
// Locally it is built at once, so that a generated bootstrap key is printed at start.
app.hook.appStart(async () => {
  loadConfig();
  if (!hostedInAzure()) await getPlatform();
});

// Safety net of the outbox: events a crash left unpublished go out within seconds.
app.timer('outboxDispatch', {
  schedule: '*/10 * * * * *',
  handler: async () => {
    await (await getPlatform()).outbox.drain();
  },
});

// Lowest-precedence catch-all: an unknown path under /api answers a problem with its trace id.
app.http('routeNotFound', {
  route: apiRoute('{*path}'),
  methods: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'],
  authLevel: 'anonymous',
  handler: answerNotFound,
});
