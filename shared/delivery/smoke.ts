import { parse } from 'yaml';

type Schema = { type?: string; format?: string; enum?: unknown[]; properties?: Record<string, Schema>; required?: string[]; items?: Schema; $ref?: string; readOnly?: boolean; minimum?: number };
type OpenApi = { paths?: Record<string, Record<string, { requestBody?: { content?: Record<string, { schema?: Schema }> } }>>; components?: { schemas?: Record<string, Schema> } };

const FORMATS: Record<string, unknown> = {
  'date-time': '2030-01-02T03:04:05.000Z',
  date: '2030-01-02',
  uuid: '00000000-0000-4000-8000-000000000001',
  email: 'smoke@example.com',
  uri: 'https://example.com/smoke',
  url: 'https://example.com/smoke',
};

/** A valid example of a JSON schema: required properties only, arrays empty, first enum value. */
export function sampleOf(schema: Schema, doc: OpenApi, depth = 0): unknown {
  if (schema.$ref) return sampleOf(doc.components?.schemas?.[schema.$ref.replace('#/components/schemas/', '')] ?? {}, doc, depth + 1);
  if (schema.enum?.length) return schema.enum[0];
  if (schema.format && FORMATS[schema.format] !== undefined) return FORMATS[schema.format];
  switch (schema.type) {
    case 'integer':
    case 'number':
      return Math.max(1, schema.minimum ?? 1);
    case 'boolean':
      return true;
    case 'array':
      return [];
    case 'object': {
      if (depth > 5) return {};
      const required = new Set(schema.required ?? []);
      return Object.fromEntries(Object.entries(schema.properties ?? {}).filter(([name, s]) => required.has(name) && !s.readOnly).map(([name, s]) => [name, sampleOf(s, doc, depth + 1)]));
    }
    default:
      return 'smoke';
  }
}

/** The first collection the contract lets a client create in: `POST <path>` with a JSON body, and `GET <path>/{id}`. */
export function smokeTarget(contractText: string): { path: string; body: Record<string, unknown> } | undefined {
  const doc = parse(contractText) as OpenApi;
  for (const [path, operations] of Object.entries(doc.paths ?? {})) {
    const schema = operations.post?.requestBody?.content?.['application/json']?.schema;
    if (!schema || path.includes('{') || !doc.paths?.[`${path}/{id}`]?.get) continue;
    return { path, body: sampleOf(schema, doc) as Record<string, unknown> };
  }
  return undefined;
}

/**
 * Creates one entity through the contract's first collection and reads it back, on one replica.
 * Returns a line for the promotion record; throws with what went wrong.
 */
export async function smokeCall(baseUrl: string, contractText: string, traceparent?: string): Promise<string> {
  const target = smokeTarget(contractText);
  if (!target) return 'no creatable collection in the contract: readiness only';
  const headers: Record<string, string> = { 'content-type': 'application/json', ...(traceparent ? { traceparent } : {}) };
  const created = await fetch(`${baseUrl}${target.path}`, { method: 'POST', headers, body: JSON.stringify(target.body), signal: AbortSignal.timeout(10_000) });
  const createdBody = (await created.json().catch(() => undefined)) as { id?: string } | undefined;
  if (created.status !== 201 && created.status !== 200) throw new Error(`POST ${target.path} answered ${created.status}: ${JSON.stringify(createdBody)?.slice(0, 300)}`);
  if (!createdBody?.id) throw new Error(`POST ${target.path} answered no id`);
  const read = await fetch(`${baseUrl}${target.path}/${encodeURIComponent(createdBody.id)}`, { headers, signal: AbortSignal.timeout(10_000) });
  const readBody = (await read.json().catch(() => undefined)) as Record<string, unknown> | undefined;
  if (read.status !== 200) throw new Error(`GET ${target.path}/${createdBody.id} answered ${read.status}`);
  for (const [field, value] of Object.entries(target.body)) {
    if (JSON.stringify(readBody?.[field]) !== JSON.stringify(value)) throw new Error(`GET ${target.path}/${createdBody.id}: ${field} is ${JSON.stringify(readBody?.[field])}, created with ${JSON.stringify(value)}`);
  }
  return `POST ${target.path} → ${created.status} (id ${createdBody.id}); GET → 200, fields equal`;
}
