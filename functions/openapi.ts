import { app } from '@azure/functions';
import { getOpenApiDocument } from '../shared/platform/http/openApiDocument';
import { apiRoute } from '../shared/platform/http/route';

app.http('openapi', {
  methods: ['GET'],
  authLevel: 'anonymous',
  route: apiRoute('openapi.json'),
  handler: getOpenApiDocument,
});
