import type { ServiceModel } from '../service/model';

/** A request that changes an entity so that an emitted event is published, or undefined. */
function triggerOf(model: ServiceModel): { path: string; body: string; type: string } | undefined {
  if (!model.api) return undefined;
  const created = model.emits.find((event) => event.action === 'create');
  const entity = created && model.entities.find((candidate) => candidate.name === created.entity);
  if (!created || !entity) return undefined;
  return { path: `${model.api.routePrefix}/${model.api.versions[0]}/${entity.collection}`, body: entity.kebab, type: created.type };
}

/** `test/service.test.ts`: probes, unknown routes, configuration, consumed events and HTTP event delivery. */
export function serviceTestTs(model: ServiceModel, validBodies: Record<string, string>): string {
  const trigger = triggerOf(model);
  const consumed = model.consumes[0];
  const delivery = trigger
    ? `
  it('POSTs emitted events to EVENTS_ENDPOINT as structured CloudEvents', async () => {
    const received: { contentType: string; event: { type: string; specversion: string; traceid: string } }[] = [];
    let delivered: () => void = () => undefined;
    const arrived = new Promise<void>((resolve) => (delivered = resolve));
    const sink = http.createServer((incoming, response) => {
      const chunks: Buffer[] = [];
      incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
      incoming.on('end', () => {
        received.push({ contentType: String(incoming.headers['content-type']), event: JSON.parse(Buffer.concat(chunks).toString('utf8')) });
        response.writeHead(202).end();
        delivered();
      });
    });
    await new Promise<void>((resolve) => sink.listen(0, '127.0.0.1', resolve));
    const { port } = sink.address() as AddressInfo;
    const started = await startService({ EVENTS_ENDPOINT: 'http://127.0.0.1:' + port + '/events' });
    try {
      const traceparent = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
      const created = await request(started.base, 'POST', '${trigger.path}', ${validBodies[trigger.body]}, { traceparent });
      assert.equal(created.status, 201);
      await arrived;
      assert.match(received[0].contentType, /^application\\/cloudevents\\+json/);
      assert.equal(received[0].event.type, '${trigger.type}');
      assert.equal(received[0].event.specversion, '1.0');
      assert.equal(received[0].event.traceid, '4bf92f3577b34da6a3ce929d0e0e4736');
      assert.equal(started.service.outbox.pending.length, 0);
    } finally {
      await started.service.stop();
      await new Promise<void>((resolve) => sink.close(() => resolve()));
    }
  });`
    : '';
  const consumedTest = consumed
    ? `
  it('accepts a consumed CloudEvent once and reports redeliveries', async () => {
    const event = { specversion: '1.0', id: 'event-1', source: '/tests', type: '${consumed}', datacontenttype: 'application/json', data: {} };
    const first = await request(base, 'POST', '/events', event, { 'content-type': 'application/cloudevents+json' });
    assert.equal(first.status, 202);
    assert.equal(first.body.duplicate, false);
    const again = await request(base, 'POST', '/events', event, { 'content-type': 'application/cloudevents+json' });
    assert.equal(again.body.duplicate, true);
    assert.equal(service.inbox.received.length, 1);
  });
`
    : '';
  return `import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, it } from 'node:test';
import type { Service } from '../src/app';
import { ConfigError, loadConfig } from '../src/config';
import { request, startService } from './support';

describe('${model.module} service', () => {
  let service: Service;
  let base: string;

  beforeEach(async () => {
    ({ service, base } = await startService());
  });

  afterEach(async () => {
    await service.stop();
  });

  it('answers /healthz and /ready', async () => {
    const health = await request(base, 'GET', '/healthz');
    assert.equal(health.status, 200);
    assert.deepEqual(health.body, { status: 'ok' });
    const ready = await request(base, 'GET', '/ready');
    assert.equal(ready.status, 200);
  });

  it('answers problem+json 404 for unknown paths and 405 for unknown methods', async () => {
    const missing = await request(base, 'GET', '/no-such-route');
    assert.equal(missing.status, 404);
    assert.match(String(missing.headers['content-type']), /^application\\/problem\\+json/);
    const method = await request(base, 'DELETE', '/healthz');
    assert.equal(method.status, 405);
    assert.equal(method.headers.allow, 'GET');
  });

  it('rejects events it does not consume, with the path of the problem', async () => {
    const reply = await request(base, 'POST', '/events', { specversion: '1.0', id: 'e1', source: '/tests', type: 'NotConsumed.v1' });
    assert.equal(reply.status, 400);
    assert.deepEqual(reply.body.errors.map((error: { path: string }) => error.path), ['/type']);
  });
${consumedTest}
  it('stops gracefully: not ready, then no new connections', async () => {
    await service.stop();
    await assert.rejects(request(base, 'GET', '/healthz'));
  });
${delivery}
});

describe('${model.module} configuration', () => {
  it('has defaults', () => {
    const config = loadConfig({});
    assert.equal(config.port, 8080);
    assert.equal(config.host, '127.0.0.1');
    assert.equal(config.eventSource, '/tenants/local/projects/${model.blueprint}');
    assert.equal(config.eventsEndpoint, undefined);
  });

  it('names every invalid variable', () => {
    assert.throws(
      () => loadConfig({ PORT: 'eighty', EVENTS_ENDPOINT: 'ftp://example.com', SHUTDOWN_TIMEOUT_MS: '-1' }),
      (error: unknown) => error instanceof ConfigError && error.problems.length === 3 && /PORT/.test(error.problems[0]) && /SHUTDOWN_TIMEOUT_MS/.test(error.problems[1]) && /EVENTS_ENDPOINT/.test(error.problems[2]),
    );
  });
});
`;
}

/** \`test/main.test.ts\`: the compiled entry point starts, and exits 0 on SIGTERM; bad config exits 1. */
export const MAIN_TEST_TS = `import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import path from 'node:path';
import { describe, it } from 'node:test';

const MAIN = path.join(__dirname, '..', 'src', 'main.js');

function exitOf(child: ReturnType<typeof spawn>): Promise<number | null> {
  return new Promise((resolve) => child.on('exit', (code) => resolve(code)));
}

describe('main', () => {
  it('listens, then drains and exits 0 on SIGTERM', async () => {
    const child = spawn(process.execPath, [MAIN], { env: { PATH: process.env.PATH ?? '', PORT: '0', HOST: '127.0.0.1' }, stdio: ['ignore', 'pipe', 'inherit'] });
    const exited = exitOf(child);
    const listening = await new Promise<{ port: number }>((resolve, reject) => {
      let buffered = '';
      child.stdout?.on('data', (chunk: Buffer) => {
        buffered += chunk.toString('utf8');
        for (const line of buffered.split('\\n').slice(0, -1)) {
          if (line.includes('"listening"')) resolve(JSON.parse(line) as { port: number });
        }
      });
      child.on('exit', () => reject(new Error('exited before listening')));
    });
    assert.ok(listening.port > 0);
    child.kill('SIGTERM');
    assert.equal(await exited, 0);
  });

  it('exits 1 naming the variable when the configuration is invalid', async () => {
    const child = spawn(process.execPath, [MAIN], { env: { PATH: process.env.PATH ?? '', PORT: 'not-a-port' }, stdio: ['ignore', 'pipe', 'inherit'] });
    let output = '';
    child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    assert.equal(await exitOf(child), 1);
    assert.match(output, /PORT/);
  });
});
`;
