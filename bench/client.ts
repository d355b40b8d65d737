import http from 'node:http';
import { BENCH_HOST_KEYS } from './children';

/** Keep-alive HTTP/1.1 client for loopback; one agent per bench run. */
export const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });

export interface Reply {
  status: number;
  headers: http.IncomingHttpHeaders;
  text: string;
}

export function request(method: string, url: string, body?: unknown, extraHeaders: Record<string, string> = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
    const headers = { ...extraHeaders, ...(payload ? { 'content-type': 'application/json', 'content-length': payload.length } : { 'content-length': 0 }) };
    const req = http.request(url, { method, agent, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(payload);
  });
}

async function expect(method: string, url: string, status: number, body?: unknown): Promise<Reply> {
  const reply = await request(method, url, body, webhookKey(url));
  if (reply.status !== status) throw new Error(`${method} ${url} answered ${reply.status} (expected ${status}): ${reply.text.slice(0, 300)}`);
  return reply;
}

/** The system key for the durable HTTP API (every bench host runs with BENCH_HOST_KEYS). */
const webhookKey = (url: string): Record<string, string> => (url.includes('/runtime/webhooks/') ? { 'x-functions-key': BENCH_HOST_KEYS.system } : {});

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The durable HTTP API of one host (what the durable client's `startNew` / `raiseEvent` call). */
export class DurableApi {
  private readonly base: string;
  constructor(origin: string) {
    this.base = `${origin}/runtime/webhooks/durabletask`;
  }

  async start(name: string, instanceId: string, input: unknown): Promise<void> {
    await expect('POST', `${this.base}/orchestrators/${name}/${encodeURIComponent(instanceId)}`, 202, input);
  }

  async raise(instanceId: string, event: string, data: unknown): Promise<void> {
    await expect('POST', `${this.base}/instances/${encodeURIComponent(instanceId)}/raiseEvent/${event}`, 202, data);
  }

  async status(instanceId: string): Promise<{ runtimeStatus: string; customStatus: unknown }> {
    const reply = await request('GET', `${this.base}/instances/${encodeURIComponent(instanceId)}?showInput=false`, undefined, webhookKey(this.base));
    if (reply.status !== 200 && reply.status !== 202) throw new Error(`status of ${instanceId} answered ${reply.status}: ${reply.text.slice(0, 300)}`);
    return JSON.parse(reply.text);
  }

  /** Status, or undefined while the instance is not in a terminal state. */
  async result(instanceId: string): Promise<{ runtimeStatus: string; output: unknown } | undefined> {
    const reply = await request('GET', `${this.base}/instances/${encodeURIComponent(instanceId)}?showInput=false`, undefined, webhookKey(this.base));
    if (reply.status === 202) return undefined;
    if (reply.status !== 200) throw new Error(`status of ${instanceId} answered ${reply.status}: ${reply.text.slice(0, 300)}`);
    return JSON.parse(reply.text);
  }

  /** How many instances whose id starts with `prefix` are in one of `statuses` (at most `top`). */
  async count(prefix: string, statuses: string, top = 1000): Promise<number> {
    const reply = await expect('GET', `${this.base}/instances?instanceIdPrefix=${encodeURIComponent(prefix)}&runtimeStatus=${statuses}&showInput=false&top=${top}`, 200);
    return (JSON.parse(reply.text) as unknown[]).length;
  }

  /**
   * Polls until no instance with this prefix is pending or running, then checks that none failed.
   * Returns the client-side time (epoch ms) at which that was first observed.
   */
  async waitAllDone(prefix: string, timeoutMs: number, pollMs = 10): Promise<number> {
    const deadline = Date.now() + timeoutMs;
    while ((await this.count(prefix, 'Pending,Running', 1)) > 0) {
      if (Date.now() > deadline) throw new Error(`instances ${prefix}* did not finish within ${timeoutMs} ms`);
      await sleep(pollMs);
    }
    const done = Date.now();
    const failed = await this.count(prefix, 'Failed,Terminated');
    if (failed) throw new Error(`${failed} instances ${prefix}* failed`);
    return done;
  }

  /** Polls until every listed instance is Running (its first step committed). */
  async waitAllRunning(prefix: string, n: number, timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while ((await this.count(prefix, 'Running')) < n) {
      if (Date.now() > deadline) throw new Error(`instances ${prefix}* did not start within ${timeoutMs} ms`);
      await sleep(10);
    }
  }
}

/** Runs `task(i)` for i in [0, n) with at most `concurrency` in flight. */
export async function pool(n: number, concurrency: number, task: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < n) await task(next++);
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, n) }, worker));
}
