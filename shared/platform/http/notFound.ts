import type { HttpRequest, HttpResponseInit } from '@azure/functions';
import { NotFound } from './errors';
import { PROBLEM_CONTENT_TYPE, toProblemDetails } from './problemDetails';
import { parseTraceparent, startTraceContext } from '../telemetry/traceContext';

/** The answer for a path no route matches: a 404 problem with its trace id, like every other error. */
export async function answerNotFound(request: HttpRequest): Promise<HttpResponseInit> {
  const trace = startTraceContext(parseTraceparent(request.headers.get('traceparent') ?? undefined));
  const path = new URL(request.url).pathname;
  return {
    status: 404,
    headers: { 'content-type': PROBLEM_CONTENT_TYPE, 'x-trace-id': trace.traceId },
    jsonBody: toProblemDetails(new NotFound(`No route answers ${request.method} ${path}.`, 'RouteNotFound'), trace.traceId),
  };
}
