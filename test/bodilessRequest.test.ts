import { HttpRequest } from '@azure/functions';
import { bodilessRequest } from '../local/http/bodilessRequest';

/** Everything a handler can read from an HttpRequest, awaited. */
async function observe(request: HttpRequest) {
  const clone = request.clone();
  return {
    url: request.url,
    method: request.method,
    headers: [...request.headers.entries()],
    query: [...request.query.entries()],
    params: request.params,
    user: request.user,
    bodyUsedBefore: request.bodyUsed,
    body: request.body,
    text: await request.text(),
    bodyUsedAfter: request.bodyUsed,
    cloneText: await clone.text(),
    json: await request.clone().json().then((value) => ({ value }), (error: Error) => ({ error: `${error.name}: ${error.message}` })),
    bytes: Buffer.from(await request.clone().arrayBuffer()),
  };
}

describe('the host hands GET and HEAD requests to the programming model without building a web Request first', () => {
  const principal = Buffer.from(JSON.stringify({ identityProvider: 'aad', userId: 'u1', userDetails: 'ann', userRoles: ['r'] })).toString('base64');
  const headers = { host: 'localhost:7071', accept: 'application/json', 'x-probe': 'A, b', 'x-ms-client-principal': principal, authorization: 'Bearer sf_x' };

  it.each(['GET', 'HEAD'])('%s: the handler reads the same as from the library-built request', async (method) => {
    const init = { method, url: 'http://localhost:7071/api/items/7?x=1&x=2&y=%20z', headers, query: { x: '1,2', y: ' z' }, params: { id: '7' }, body: { bytes: Buffer.alloc(0) } };
    const nativeRequest = bodilessRequest(method, init.url, headers, Buffer.alloc(0));
    expect(nativeRequest).toBeDefined();
    const viaLibrary = await observe(new HttpRequest(init));
    const viaHost = await observe(new HttpRequest({ ...init, nativeRequest } as ConstructorParameters<typeof HttpRequest>[0]));
    expect(viaHost).toEqual(viaLibrary);
    expect(viaHost.user).toMatchObject({ id: 'u1', username: 'ann' });
    expect(viaHost.text).toBe('');
  });

  it('leaves requests with a body, and every other method, to the library', () => {
    const url = 'http://localhost/api/x';
    expect(bodilessRequest('GET', url, {}, Buffer.from('a'))).toBeUndefined();
    for (const method of ['POST', 'PUT', 'DELETE', 'OPTIONS', 'TRACE', 'PATCH']) expect(bodilessRequest(method, url, {}, Buffer.alloc(0))).toBeUndefined();
  });
});
