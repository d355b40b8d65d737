import { app } from '@azure/functions';
import { getHealth } from '../shared/platform/health';

app.http('health', {
  methods: ['GET'],
  authLevel: 'anonymous',
  route: 'health',
  handler: getHealth,
});
