import { HttpResponse, HttpResponseInit } from '@azure/functions';
import { toPlainResponse } from '../local/http/plainResponse';
import type { RegisteredFunction } from '../local/core/types';

const httpFunction = (outputs: Record<string, { type: string; direction: 'out' }> = { $return: { type: 'http', direction: 'out' } }): RegisteredFunction => ({
  metadata: { name: 'f', bindings: { req: { type: 'httpTrigger', direction: 'in' }, ...outputs } },
  handler: () => undefined,
  triggerName: 'req',
  trigger: { type: 'httpTrigger' },
});

/** What @azure/functions itself sends for a handler result. */
async function viaLibrary(init: HttpResponseInit) {
  const response = new HttpResponse(init);
  const headers: Record<string, string> = {};
  response.headers.forEach((value, name) => (headers[name] = value));
  return { status: response.status, headers, body: Buffer.from(await response.arrayBuffer()) };
}

describe('the host writes plain HTTP results exactly as @azure/functions would', () => {
  const cases: HttpResponseInit[] = [
    { jsonBody: { ok: true, n: [1, 2] } },
    { status: 201, headers: { Location: '/x', 'X-Trace-Id': 'abc' }, jsonBody: { id: 'x' } },
    { status: 400, headers: { 'content-type': 'application/problem+json' }, jsonBody: { title: 'Bad' } },
    { body: 'hello' },
    { status: 202, body: Buffer.from([0, 1, 2, 255]), headers: { 'content-type': 'application/octet-stream' } },
    { status: 204 },
    { status: 204, jsonBody: { ignored: true } },
    {},
    { jsonBody: 0 },
  ];
  it.each(cases.map((c) => [JSON.stringify(c), c]))('%s', async (_label, init) => {
    const plain = toPlainResponse(httpFunction(), init);
    expect(plain).toBeDefined();
    const expected = await viaLibrary(init as HttpResponseInit);
    expect(plain!.status).toBe(expected.status);
    expect(plain!.headers).toEqual(expected.headers);
    expect(Buffer.from(plain!.body).equals(expected.body)).toBe(true);
  });

  it('leaves everything else to the library', () => {
    expect(toPlainResponse(httpFunction(), new HttpResponse({ body: 'x' }))).toBeUndefined();
    expect(toPlainResponse(httpFunction(), { body: 'x', cookies: [{ name: 'a', value: 'b' }] })).toBeUndefined();
    expect(toPlainResponse(httpFunction(), { body: new URLSearchParams('a=1') })).toBeUndefined();
    expect(toPlainResponse(httpFunction({ $return: { type: 'http', direction: 'out' }, blob: { type: 'blob', direction: 'out' } }), { body: 'x' })).toBeUndefined();
    expect(toPlainResponse(httpFunction(), 'just a string')).toBeUndefined();
  });
});
