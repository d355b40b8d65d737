import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import type { HttpRequest, HttpResponseInit } from '@azure/functions';
import { defineRoute } from '../platform/http/route';
import { PROBLEM_CONTENT_TYPE, toProblemDetails } from '../platform/http/problemDetails';
import { FactoryError, NotFound } from '../platform/http/errors';
import { parseTraceparent, startTraceContext } from '../platform/telemetry/traceContext';
import { StudioAssets } from './assets';
import { studioConfigView, toStudioConfig, type StudioConfigView } from './schemas';

/** 503: the app runs without a Studio build (only `tsc` ran). */
class StudioNotBuilt extends FactoryError {
  readonly status = 503;
  readonly title = 'Service Unavailable';
  constructor() {
    super('The Studio is not built; run `npm run build`.', 'StudioNotBuilt');
  }
}

let assets: StudioAssets | undefined;
let config: StudioConfigView | undefined;

/**
 * The Content-Security-Policy of the Studio's pages: everything is bundled, so scripts come only
 * from the app itself; styles allow inline (CodeMirror and Mermaid set style attributes); the only
 * other origin is the Entra ID authority when configured (MSAL talks to it).
 */
function contentSecurityPolicy(entraAuthority?: string): string {
  const login = entraAuthority ? ` ${new URL(entraAuthority).origin}` : '';
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    `connect-src 'self'${login}`,
    `frame-src 'self'${login}`,
    "frame-ancestors 'none'",
    "base-uri 'self'",
    "form-action 'self'",
  ].join('; ');
}

/**
 * Where the Studio is mounted, for `<base href>`: `/` on the Functions app, or the prefix a reverse
 * proxy names in `X-Forwarded-Prefix` (e.g. `/factory`). Anything that is not a plain path is ignored.
 */
export function toMount(forwardedPrefix: string | null): string {
  if (!forwardedPrefix || !/^\/[A-Za-z0-9._~/-]*$/.test(forwardedPrefix) || forwardedPrefix.includes('//')) return '/';
  return `${forwardedPrefix.replace(/\/+$/, '')}/`;
}

/** `GET /{*path}`: the Studio's files, client routes answered with index.html (SPA fallback). */
export async function serveStudio(request: HttpRequest): Promise<HttpResponseInit> {
  assets ??= new StudioAssets();
  if (!assets.built) return problem(request, new StudioNotBuilt());
  const found = assets.resolve(request.params.path ?? '');
  if (!found) return problem(request, new NotFound(`No Studio file at /${request.params.path ?? ''}.`, 'RouteNotFound'));
  const { asset } = found;
  const html = asset.contentType.startsWith('text/html');
  const body = html ? withBase(asset.body, toMount(request.headers.get('x-forwarded-prefix'))) : asset.body;
  const etag = `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`;
  const headers: Record<string, string> = {
    'content-type': asset.contentType,
    'cache-control': asset.cacheControl,
    etag,
    vary: 'accept-encoding, x-forwarded-prefix',
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
  };
  if (html) headers['content-security-policy'] = contentSecurityPolicy(studioConfig().entra?.authority);
  if (request.headers.get('if-none-match') === etag) return { status: 304, headers };
  const gzip = acceptsGzip(request) ? (html ? gzipSync(body) : asset.gzip) : undefined;
  if (gzip) headers['content-encoding'] = 'gzip';
  return { status: 200, headers, body: gzip ?? body };
}

/** `<base href>` right after `<head>` so relative asset URLs and client routes resolve from the mount on any deep link. */
function withBase(html: Buffer, mount: string): Buffer {
  return Buffer.from(html.toString('utf8').replace(/<head>/i, `<head><base href="${mount}">`));
}

function acceptsGzip(request: HttpRequest): boolean {
  return /\bgzip\b/.test(request.headers.get('accept-encoding') ?? '');
}

function problem(request: HttpRequest, error: FactoryError): HttpResponseInit {
  const { traceId } = startTraceContext(parseTraceparent(request.headers.get('traceparent')));
  return { status: error.status, headers: { 'content-type': PROBLEM_CONTENT_TYPE, 'x-trace-id': traceId }, jsonBody: toProblemDetails(error, traceId) };
}

/** The Studio's sign-in settings, read and checked once; functions/studio.ts calls it at app start so a bad setting stops the start with its name. */
export function studioConfig(): StudioConfigView {
  config ??= toStudioConfig(process.env);
  return config;
}

export const getStudioConfig = defineRoute({
  method: 'GET',
  path: 'studio/config',
  operationId: 'getStudioConfig',
  summary: 'How the Studio signs people in: API key always, Entra ID when configured (STUDIO_ENTRA_*)',
  tags: ['studio'],
  auth: 'anonymous',
  responses: { 200: studioConfigView },
  handler: async () => ({ body: studioConfig(), headers: { 'cache-control': 'no-cache' } }),
});

export const studioRoutes = [getStudioConfig];
