import http from 'node:http';
import { agent } from './client';

/** Request headers sent with every GET of a load run (e.g. `authorization`). */
export type LoadHeaders = Record<string, string>;

/** One GET on the shared keep-alive agent; resolves with the status once the body is read. */
function get(url: string, headers?: LoadHeaders): Promise<number> {
  return new Promise((resolve, reject) => {
    http
      .get(url, { agent, headers }, (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
        res.on('error', reject);
      })
      .on('error', reject);
  });
}

export interface LoadResult {
  requests: number;
  seconds: number;
}

/** Closed-loop load: `concurrency` requests in flight for `durationMs`; counts answered requests. */
export async function closedLoop(url: (i: number) => string, concurrency: number, durationMs: number, headers?: LoadHeaders): Promise<LoadResult> {
  const t0 = performance.now();
  const end = t0 + durationMs;
  let requests = 0;
  let i = 0;
  const worker = async () => {
    while (performance.now() < end) {
      const status = await get(url(i++), headers);
      if (status !== 200) throw new Error(`GET answered ${status}`);
      requests++;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return { requests, seconds: (performance.now() - t0) / 1000 };
}

/**
 * Open-loop load at a fixed rate: requests are sent on schedule whether or not earlier ones have
 * answered; returns each request's latency (send → body read) in ms.
 */
export async function fixedRate(url: (i: number) => string, perSecond: number, durationMs: number, headers?: LoadHeaders): Promise<number[]> {
  const latencies: number[] = [];
  const pending: Promise<void>[] = [];
  const total = Math.round((perSecond * durationMs) / 1000);
  const t0 = performance.now();
  let sent = 0;
  while (sent < total) {
    const due = Math.min(total, Math.floor(((performance.now() - t0) * perSecond) / 1000) + 1);
    for (; sent < due; sent++) {
      const start = performance.now();
      pending.push(
        get(url(sent), headers).then((status) => {
          if (status !== 200) throw new Error(`GET answered ${status}`);
          latencies.push(performance.now() - start);
        }),
      );
    }
    await new Promise((r) => setTimeout(r, 1));
  }
  await Promise.all(pending);
  return latencies;
}
