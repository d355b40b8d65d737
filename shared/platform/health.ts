import type { HttpRequest, HttpResponseInit, InvocationContext } from '@azure/functions';

/** `GET /api/health`: anonymous liveness with where this instance keeps its data. */
export async function getHealth(_request: HttpRequest, _context: InvocationContext): Promise<HttpResponseInit> {
  const local = process.env.FACTORY_HOST_DATA_DIR;
  return {
    status: 200,
    jsonBody: {
      status: 'ok',
      service: 'software-factory',
      version: process.env.npm_package_version ?? '0.1.0',
      runtime: local ? 'local' : 'azure',
      ...(local ? { dataDir: local } : {}),
      time: new Date().toISOString(),
    },
  };
}
