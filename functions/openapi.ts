import { app } from '@azure/functions';
import { getOpenApiDocument } from '../shared/platform/http/openApiDocument';

app.http('openapi', {
  methods: ['GET'],
  authLevel: 'anonymous',
  route: 'openapi.json',
  handler: getOpenApiDocument,
});
