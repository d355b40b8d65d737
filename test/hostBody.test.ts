import type { IncomingMessage } from 'node:http';
import { PassThrough } from 'node:stream';
import { BodyBudget, BodyBudgetExhausted, PayloadTooLarge, readBody } from '../local/http/body';
import { parseHostHeader } from '../local/security/hostHeader';
import { splitPathKey } from '../local/security/access';

/** A request stream with the given headers whose body arrives in `chunks`. */
function request(headers: Record<string, string>, chunks: Buffer[]): IncomingMessage {
  const stream = new PassThrough() as unknown as IncomingMessage & PassThrough;
  (stream as { headers: Record<string, string> }).headers = headers;
  setImmediate(() => {
    for (const c of chunks) stream.write(c);
    stream.end();
  });
  return stream;
}

describe('request bodies on the local host', () => {
  it('refuses a declared Content-Length over the limit before reading', async () => {
    await expect(readBody(request({ 'content-length': '2048' }, []), 1024)).rejects.toBeInstanceOf(PayloadTooLarge);
  });

  it('answers a request without Content-Length or Transfer-Encoding with an empty body, without waiting for the stream', async () => {
    const never = new PassThrough() as unknown as IncomingMessage; // never ends: a bodiless request has nothing to wait for
    (never as { headers: Record<string, string> }).headers = {};
    expect((await readBody(never, 1024)).length).toBe(0);
  });

  it('stops a streamed body at the limit, and reads one at the limit', async () => {
    const chunk = Buffer.alloc(512, 1);
    await expect(readBody(request({ 'transfer-encoding': 'chunked' }, [chunk, chunk, chunk]), 1024)).rejects.toBeInstanceOf(PayloadTooLarge);
    expect((await readBody(request({ 'transfer-encoding': 'chunked' }, [chunk, chunk]), 1024)).length).toBe(1024);
  });

  it('shares a budget between requests and gives it back when they end', async () => {
    const budget = new BodyBudget(1000, 0);
    expect(budget.take(600)).toBe(true);
    await expect(readBody(request({ 'transfer-encoding': 'chunked' }, [Buffer.alloc(500)]), 10_000, budget)).rejects.toBeInstanceOf(BodyBudgetExhausted);
    budget.give(600);
    expect((await readBody(request({ 'transfer-encoding': 'chunked' }, [Buffer.alloc(500), Buffer.alloc(500)]), 10_000, budget)).length).toBe(1000);
    expect(budget.take(1000)).toBe(true); // all of it was given back
  });

  it('does not count the first bytes of each body, so small requests pass a spent budget', async () => {
    const budget = new BodyBudget(1000, 300);
    expect(budget.take(1000)).toBe(true);
    expect((await readBody(request({ 'transfer-encoding': 'chunked' }, [Buffer.alloc(300)]), 10_000, budget)).length).toBe(300);
    await expect(readBody(request({ 'transfer-encoding': 'chunked' }, [Buffer.alloc(300), Buffer.alloc(1)]), 10_000, budget)).rejects.toBeInstanceOf(BodyBudgetExhausted);
  });
});

describe('Host header and keyed webhook paths', () => {
  it.each(['localhost', 'localhost:7071', '127.0.0.1:1', '[::1]', '[::1]:80', 'a-b.example.com.', 'x'])('parses %p', (value) => {
    expect(parseHostHeader(value)).toBeDefined();
  });
  it.each(['[', 'a b', 'x:99999', '[::1', '%zz', '', ':80', 'a_b', 'host:8x', '[::1]x', '-a.com'])('rejects %p', (value) => {
    expect(parseHostHeader(value)).toBeUndefined();
  });
  it('takes the system key out of an rpcBaseUrl path', () => {
    expect(splitPathKey('/runtime/webhooks/durabletask/_key/abc/instances/x')).toEqual({ pathname: '/runtime/webhooks/durabletask/instances/x', key: 'abc' });
    expect(splitPathKey('/runtime/webhooks/durabletask/instances/x')).toBeUndefined();
  });
});
