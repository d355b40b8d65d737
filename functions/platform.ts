import { app } from '@azure/functions';
import { getPlatform } from '../shared/platform/composition';
import { answerNotFound } from '../shared/platform/http/notFound';
import { apiRoute } from '../shared/platform/http/route';

// Build the platform at start: validates configuration (a bad setting stops the start with its
// name) and makes sure the bootstrap PlatformAdmin key exists.
app.hook.appStart(async () => {
  await getPlatform();
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
