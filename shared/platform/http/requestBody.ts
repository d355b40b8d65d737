import type { HttpRequest } from '@azure/functions';
import { parse as parseYaml } from 'yaml';
import { checkValueShape, DEFAULT_BODY_SHAPE, scanTextShape, type ShapeLimits, type ShapeViolation } from './documentShape';
import { PayloadTooLarge, Validation } from './errors';

/** Default request body limit: 1 MiB. */
export const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;

const YAML_TYPES = /^(application|text)\/(x-)?yaml\b/i;

/**
 * Reads and parses a request body: `undefined` when empty, 413 over `maxBytes` (checked against
 * Content-Length first, then the bytes read), 400 with path '' when the JSON (or YAML) is malformed,
 * and 400 `BodyTooComplex` (with the path and the limit) when it nests deeper, holds more values or
 * longer strings than `shape` allows (default `DEFAULT_BODY_SHAPE`).
 */
export async function readRequestBody(request: HttpRequest, maxBytes: number, format: 'json' | 'json-or-yaml', shape: ShapeLimits = DEFAULT_BODY_SHAPE): Promise<unknown> {
  const declared = Number(request.headers.get('content-length') ?? NaN);
  if (Number.isFinite(declared) && declared > maxBytes) throw new PayloadTooLarge(maxBytes);
  const bytes = Buffer.from(await request.arrayBuffer());
  if (bytes.length > maxBytes) throw new PayloadTooLarge(maxBytes);
  const text = bytes.toString('utf8');
  if (text.trim() === '') return undefined;
  const yaml = format === 'json-or-yaml' && YAML_TYPES.test(request.headers.get('content-type') ?? '');
  // The yaml parser recurses and allocates per nesting level: measure the text before it parses.
  const lexical = yaml ? scanTextShape(text, shape) : undefined;
  if (lexical) throw tooComplex(lexical);
  let value: unknown;
  try {
    value = yaml ? parseYaml(text, { maxAliasCount: 100 }) : JSON.parse(text);
  } catch (error) {
    const message = error instanceof Error ? error.message : 'unreadable';
    throw new Validation([{ path: '', message }], `The request body is not valid ${yaml ? 'YAML' : 'JSON'}.`, 'MalformedBody');
  }
  const violation = checkValueShape(value, shape);
  if (violation) throw tooComplex(violation);
  return value;
}

function tooComplex(violation: ShapeViolation): Validation {
  const path = violation.path.map((segment) => (typeof segment === 'number' ? `[${segment}]` : `.${segment}`)).join('');
  return new Validation([{ path: `body${path}`, message: violation.message }], violation.message, 'BodyTooComplex');
}
