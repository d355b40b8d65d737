import fs from 'node:fs';
import { cleanup, killAllNow, spawnBareServer, spawnHost, type Child } from './children';
import { startFactory } from './factory';
import { closedLoop, type LoadHeaders } from './load';

// CPU time per request of the HTTP rows, server side: utime + stime of the serving process (from
// /proc/<pid>/stat) over a closed loop, divided by the requests answered. Unlike req/s this hardly
// depends on what else runs on the machine, so before/after comparisons hold on a loaded box.
// `node dist/bench/httpCpu.js [seconds per side, default 4] [--cpu-prof <dir>]` (profiles the hosts).

const TICKS_PER_SECOND = 100; // USER_HZ on Linux

function cpuMs(pid: number): number {
  const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS_PER_SECOND; // utime, stime
}

async function perRequest(child: Child, url: (i: number) => string, ms: number, headers?: LoadHeaders): Promise<{ us: number; rps: number }> {
  await closedLoop(url, 16, 1000, headers); // warm-up: connections, JIT
  const before = cpuMs(child.pid);
  const r = await closedLoop(url, 16, ms, headers);
  return { us: ((cpuMs(child.pid) - before) * 1000) / r.requests, rps: r.requests / r.seconds };
}

async function main(): Promise<void> {
  const seconds = Number(process.argv[2] ?? 4) || 4;
  const profAt = process.argv.indexOf('--cpu-prof');
  const nodeArgs = profAt > 0 ? ['--cpu-prof', `--cpu-prof-dir=${process.argv[profAt + 1]}`] : [];
  const bare = await spawnBareServer();
  const host = await spawnHost('http host', { quiet: true, nodeArgs });
  const factory = await startFactory({ invocationLog: false, env: { FACTORY_RATE_LIMIT_TENANT_RPS: '0', FACTORY_RATE_LIMIT_PRINCIPAL_RPS: '0' }, nodeArgs });
  await factory.api.expect(201, 'POST', `tenants/${factory.tenant.tenantId}/projects`, { key: factory.tenant.admin, body: { projectId: 'reads', name: 'reads' } });
  const read = `${factory.host.origin}/api/tenants/${factory.tenant.tenantId}/projects/reads`;
  const viewer = { authorization: `Bearer ${factory.tenant.viewer}` };
  const rows: Record<string, { us: number; rps: number }> = {};
  rows.bare = await perRequest(bare, (i) => `${bare.origin}/items/${i % 1000}`, seconds * 1000);
  rows.item = await perRequest(host, (i) => `${host.origin}/api/items/${i % 1000}`, seconds * 1000);
  rows.pointRead = await perRequest(factory.host, () => read, seconds * 1000, viewer);
  for (const [name, r] of Object.entries(rows)) {
    process.stdout.write(`${name.padEnd(10)} ${r.us.toFixed(0).padStart(6)} µs CPU/request  ${r.rps.toFixed(0).padStart(6)} req/s  ${((rows.bare.us / r.us) * 100).toFixed(1)}% of bare by CPU\n`);
  }
  await cleanup();
}

process.once('exit', killAllNow);
main().catch(async (error) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  await cleanup();
  process.exit(1);
});
