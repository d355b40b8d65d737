import { app } from '@azure/functions';
import { getHealth } from '../shared/platform/health';
import { apiRoute } from '../shared/platform/http/route';

app.http('health', {
  methods: ['GET'],
  authLevel: 'anonymous',
  route: apiRoute('health'),
  handler: getHealth,
});
