import type { HttpRequest } from '@azure/functions';
import { parse as parseYaml } from 'yaml';
import { PayloadTooLarge, Validation } from './errors';

/** Default request body limit: 1 MiB. */
export const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;

const YAML_TYPES = /^(application|text)\/(x-)?yaml\b/i;

/**
 * Reads and parses a request body: `undefined` when empty, 413 over `maxBytes` (checked against
 * Content-Length first, then the bytes read), 400 with path '' when the JSON (or YAML) is malformed.
 */
export async function readRequestBody(request: HttpRequest, maxBytes: number, format: 'json' | 'json-or-yaml'): Promise<unknown> {
  const declared = Number(request.headers.get('content-length') ?? NaN);
  if (Number.isFinite(declared) && declared > maxBytes) throw new PayloadTooLarge(maxBytes);
  const bytes = Buffer.from(await request.arrayBuffer());
  if (bytes.length > maxBytes) throw new PayloadTooLarge(maxBytes);
  const text = bytes.toString('utf8');
  if (text.trim() === '') return undefined;
  const yaml = format === 'json-or-yaml' && YAML_TYPES.test(request.headers.get('content-type') ?? '');
  try {
    return yaml ? parseYaml(text) : JSON.parse(text);
  } catch (error) {
    const message = error instanceof Error ? error.message : 'unreadable';
    throw new Validation([{ path: '', message }], `The request body is not valid ${yaml ? 'YAML' : 'JSON'}.`, 'MalformedBody');
  }
}
