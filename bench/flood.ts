import http from 'node:http';
import { sleep } from './client';
import type { FactoryHost } from './factory';
import { closedLoop, fixedRate } from './load';

// Issue 9 §4: an unauthenticated large-body flood must not cost the host. Four parallel POSTs of
// 90 MB each (chunked, so the host cannot refuse them by their Content-Length and has to stream),
// repeated for a few seconds, at an anonymous factory route and at a keyed host route, while
// another tenant reads its project at a fixed rate. Loopback only; bounded in time and senders.

const CHUNK = Buffer.alloc(64 * 1024, 0x61);

/** One flood POST: streams up to `bytes`, stops as soon as the host answers or closes. Resolves with the status or the socket error code. */
function floodPost(url: string, bytes: number): Promise<string> {
  return new Promise((resolve) => {
    const req = http.request(url, { method: 'POST', agent: false, headers: { 'content-type': 'application/json', 'transfer-encoding': 'chunked' } });
    let sent = 0;
    let settled = false;
    const done = (outcome: string) => {
      if (settled) return;
      settled = true;
      req.destroy();
      resolve(outcome);
    };
    req.on('response', (res) => {
      res.resume();
      done(String(res.statusCode));
    });
    req.on('error', (error: NodeJS.ErrnoException) => done(error.code ?? 'error'));
    const pump = () => {
      while (!settled && sent < bytes) {
        sent += CHUNK.length;
        if (!req.write(CHUNK)) {
          req.once('drain', pump);
          return;
        }
      }
      if (!settled) req.end();
    };
    pump();
  });
}

export interface FloodPhase {
  target: string;
  rssBeforeMb: number;
  rssPeakMb: number;
  rssAfterMb: number;
  /** The other tenant's read latencies (ms) before and during the flood. */
  before: number[];
  during: number[];
  /** How the flood POSTs ended: status code or socket error, with counts. */
  outcomes: Record<string, number>;
}

/**
 * Runs one flood phase against `path` on the factory host: RSS and the other tenant's read
 * latency (fixed rate) before, RSS sampled every 50 ms and reads during `durationMs` of
 * `senders` parallel back-to-back POSTs of `bytes`, RSS 5 s after (sampled each second).
 */
export async function floodPhase(
  factory: FactoryHost,
  path: string,
  options: { senders: number; bytes: number; durationMs: number; readRate: number },
): Promise<FloodPhase> {
  const { host, api, tenant } = factory;
  const projectId = `flood-reads-${Date.now()}`;
  await api.expect(201, 'POST', `tenants/${tenant.tenantId}/projects`, { key: tenant.admin, body: { projectId, name: projectId } });
  const readUrl = () => `${host.origin}/api/tenants/${tenant.tenantId}/projects/${projectId}`;
  const headers = { authorization: `Bearer ${tenant.viewer}` };
  await closedLoop(readUrl, 8, 1000, headers);
  await sleep(1000);
  const rssBeforeMb = host.rssMb();
  const before = await fixedRate(readUrl, options.readRate, options.durationMs, headers);

  let peak = host.rssMb();
  const sampler = setInterval(() => (peak = Math.max(peak, host.rssMb())), 50);
  const outcomes: Record<string, number> = {};
  const end = Date.now() + options.durationMs;
  const sender = async () => {
    while (Date.now() < end) {
      const outcome = await floodPost(`${host.origin}${path}`, options.bytes);
      outcomes[outcome] = (outcomes[outcome] ?? 0) + 1;
    }
  };
  const [during] = await Promise.all([fixedRate(readUrl, options.readRate, options.durationMs, headers), ...Array.from({ length: options.senders }, sender)]);
  clearInterval(sampler);
  const after: number[] = [];
  for (let i = 0; i < 5; i++) {
    await sleep(1000);
    after.push(host.rssMb());
  }
  return { target: path, rssBeforeMb, rssPeakMb: Math.max(peak, ...after), rssAfterMb: after[after.length - 1], before, during, outcomes };
}

/** The keyed host route the second phase floods (needs the master key; the flood sends none). */
export const KEYED_FLOOD_PATH = '/admin/servicebus/agent-tasks/messages';
/** An anonymous route of the factory app (it does bearer auth itself, after the host read the body). */
export const ANONYMOUS_FLOOD_PATH = '/api/tenants/someone-else/projects';
