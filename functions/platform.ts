import { app } from '@azure/functions';
import { getPlatform } from '../shared/platform/composition';

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
