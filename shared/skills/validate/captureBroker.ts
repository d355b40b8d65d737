import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** A message a service published through the broker protocol. */
export interface CapturedMessage {
  topic: string;
  body: unknown;
}

/**
 * The local broker protocol (see `local/broker/restProtocol.ts`) as ValidateService needs it: it
 * accepts declarations, records every published message, and has nothing to deliver (receives
 * wait, then answer 204). It lets a generated service run with `BROKER=local` outside the factory
 * host, and shows exactly which events each operation published.
 */
export class CaptureBroker {
  readonly messages: CapturedMessage[] = [];
  private readonly server = http.createServer((request, response) => void this.handle(request, response));
  readonly key = 'validate-service-broker-key';

  async start(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async handle(request: http.IncomingMessage, response: http.ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const url = new URL(request.url ?? '/', 'http://broker');
    const answer = (status: number, body?: unknown) => {
      response.writeHead(status, body === undefined ? {} : { 'content-type': 'application/json' });
      response.end(body === undefined ? undefined : JSON.stringify(body));
    };
    if (request.headers['x-functions-key'] !== this.key) return answer(401, { title: 'Unauthorized' });
    const route = url.pathname.replace(/^\/admin\/servicebus\//, '');
    if (request.method === 'PUT' && route.startsWith('topics/')) return answer(201, { entity: decodeURIComponent(route.slice('topics/'.length)) });
    if (request.method === 'GET' && route === 'entities') return answer(200, { entities: [] });
    if (request.method === 'POST' && route.endsWith('/messages/head')) {
      const wait = Math.min(Number(url.searchParams.get('timeout') ?? 0), 1) * 1000;
      await new Promise((resolve) => setTimeout(resolve, wait).unref());
      return answer(204);
    }
    if (request.method === 'POST' && /^[^/]+\/messages$/.test(route)) {
      const message = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as { body?: unknown };
      this.messages.push({ topic: decodeURIComponent(route.split('/')[0]), body: message.body });
      return answer(201, { sequenceNumbers: [this.messages.length] });
    }
    return answer(404, { title: 'Not Found' });
  }
}
