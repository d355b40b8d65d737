import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { fullFormats } from 'ajv-formats/dist/formats';
import OpenAPIResponseValidator from 'openapi-response-validator';
import type { JsonSchema } from '../fieldSchemas';
import type { CaptureBroker } from './captureBroker';

/** One operation called against the running service and what was wrong with its answer. */
export interface OperationCheck {
  /** `POST /booking/v1/appointments`. */
  operation: string;
  status: number;
  problems: string[];
}

/** One event the service published during the run, checked against its schema and its operation's declaration. */
export interface EventCheck {
  operation: string;
  type: string;
  problems: string[];
}

export interface ContractRun {
  ran: boolean;
  operations: OperationCheck[];
  events: EventCheck[];
  error?: string;
}

/** What the contract test needs besides the running service. */
export interface ContractInput {
  document: Record<string, unknown>;
  /** A valid input per entity name. */
  samples: Record<string, Record<string, unknown>>;
  /** JSON Schema per event type the module emits. */
  eventSchemas: Record<string, JsonSchema>;
  /** `Entity.created` → the event types that change must publish, in order. */
  emits: Record<string, string[]>;
  /** The API needs Entra ID tokens: without one, every entity operation must answer 401 (the probes stay open). */
  auth?: boolean;
}

interface Called {
  status: number;
  body: unknown;
  contentType: string;
}

type Operation = { operationId?: string; requestBody?: { content?: Record<string, { schema?: { $ref?: string } }> }; responses?: Record<string, unknown> };

type Method = 'get' | 'post' | 'put' | 'delete';

/** The string formats of the contracts (uuid, date-time, email, uri…), as ajv-formats checks them. */
const FORMATS: Record<string, (value: unknown) => boolean> = Object.fromEntries(
  Object.entries(fullFormats).map(([name, format]) => {
    const check = typeof format === 'object' && !(format instanceof RegExp) ? format.validate : format;
    return [name, (value: unknown) => typeof value !== 'string' || (check instanceof RegExp ? check.test(value) : (check as (text: string) => boolean)(value))];
  }),
);

/**
 * Calls every operation of the module's OpenAPI document against the started service — per entity
 * collection: create, list, read, replace, delete, read the deleted one (404) and create with an
 * invalid body (400); every other path with GET — and checks each answer with openapi-response-validator
 * (status declared, body valid against the response schema, problem+json for errors). Every event
 * the service published is checked against its schema and against the change that caused it.
 */
export async function runContractTest(baseUrl: string, input: ContractInput, broker: CaptureBroker): Promise<ContractRun> {
  const components = input.document.components as never;
  const ajv = new Ajv2020({ allErrors: true, strict: false });
  addFormats(ajv);
  const eventValidators = new Map(Object.entries(input.eventSchemas).map(([type, schema]) => [type, ajv.compile(schema)]));
  const operations: OperationCheck[] = [];
  const events: EventCheck[] = [];
  const paths = (input.document.paths ?? {}) as Record<string, Partial<Record<Method, Operation>>>;

  const call = async (method: string, path: string, operation: Operation | undefined, expected: number, body?: unknown, headers: Record<string, string> = {}): Promise<Called> => {
    const response = await fetch(`${baseUrl}${path}`, { method, headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers }, body: body === undefined ? undefined : JSON.stringify(body) });
    const text = await response.text();
    const called: Called = { status: response.status, body: text ? safeJson(text) : undefined, contentType: response.headers.get('content-type') ?? '' };
    const template = Object.keys(paths).find((candidate) => new RegExp(`^${candidate.replace(/\{[^}]+\}/g, '[^/]+')}$`).test(path.split('?')[0])) ?? path;
    const problems: string[] = [];
    if (called.status !== expected) problems.push(`expected ${expected}, got ${called.status}: ${text.slice(0, 300)}`);
    if (!operation?.responses?.[String(called.status)]) problems.push(`status ${called.status} is not declared by the contract`);
    else {
      const validator = new OpenAPIResponseValidator({ responses: resolveResponses(operation.responses, input.document) as never, components, customFormats: FORMATS });
      const result = validator.validateResponse(called.status, called.body);
      for (const error of result?.errors ?? []) problems.push(`response body ${error.path || '/'} ${error.message}`);
    }
    if (called.status >= 400 && !called.contentType.startsWith('application/problem+json')) problems.push(`error answered as ${called.contentType || 'no content type'}, not application/problem+json`);
    operations.push({ operation: `${method} ${template}${path.includes('?') ? '?' + path.split('?')[1].split('=')[0] : ''}`, status: called.status, problems });
    return called;
  };

  const published = async (operation: string, change: string | undefined, act: () => Promise<unknown>) => {
    const before = broker.messages.length;
    await act();
    const deadline = Date.now() + 2000;
    const expected = change ? (input.emits[change] ?? []) : [];
    while (broker.messages.length - before < expected.length && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
    const sent = broker.messages.slice(before).map((message) => message.body as { type?: string });
    const types = sent.map((event) => String(event?.type));
    if (types.join() !== expected.join()) events.push({ operation, type: types.join(', ') || '(none)', problems: [`published [${types.join(', ')}], the blueprint declares [${expected.join(', ')}] on ${change ?? 'this operation'}`] });
    for (const event of sent) {
      const validate = eventValidators.get(String(event?.type));
      const problems = !validate ? [`no schema for ${String(event?.type)}`] : validate(event) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message}`);
      events.push({ operation, type: String(event?.type), problems });
    }
  };

  for (const [path, item] of Object.entries(paths).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    if (path.includes('{')) continue;
    const create = item.post;
    if (!create) {
      if (item.get) await call('GET', path, item.get, 200);
      continue;
    }
    if (input.auth) {
      await call('POST', path, create, 401, input.samples[(create.requestBody?.content?.['application/json']?.schema?.$ref ?? '').split('/').pop()?.replace(/Input$/, '') ?? '']);
      if (item.get) await call('GET', path, item.get, 401);
      continue;
    }
    const entity = (create.requestBody?.content?.['application/json']?.schema?.$ref ?? '').split('/').pop()?.replace(/Input$/, '') ?? '';
    const one = paths[`${path}/{id}`] ?? {};
    let created: Called | undefined;
    await published(`POST ${path}`, `${entity}.created`, async () => (created = await call('POST', path, create, 201, input.samples[entity])));
    await call('GET', `${path}?limit=1`, item.get, 200);
    const id = (created?.body as { id?: string } | undefined)?.id;
    if (!id) continue;
    await call('GET', `${path}/${id}`, one.get, 200);
    await published(`PUT ${path}/{id}`, `${entity}.updated`, () => call('PUT', `${path}/${id}`, one.put, 200, input.samples[entity]));
    await published(`DELETE ${path}/{id}`, `${entity}.deleted`, () => call('DELETE', `${path}/${id}`, one.delete, 204));
    await call('GET', `${path}/${id}`, one.get, 404);
    await published(`POST ${path} (invalid)`, undefined, () => call('POST', path, create, 400, { unexpected: true }));
  }
  return { ran: true, operations, events };
}

/** Responses written as `$ref: '#/components/responses/…'` replaced by what they name (the validator resolves schema refs only). */
function resolveResponses(responses: Record<string, unknown>, document: Record<string, unknown>): Record<string, unknown> {
  const named = ((document.components as { responses?: Record<string, unknown> } | undefined)?.responses ?? {}) as Record<string, unknown>;
  return Object.fromEntries(
    Object.entries(responses).map(([status, response]) => {
      const ref = (response as { $ref?: string }).$ref;
      return [status, ref?.startsWith('#/components/responses/') ? named[ref.slice('#/components/responses/'.length)] : response];
    }),
  );
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
