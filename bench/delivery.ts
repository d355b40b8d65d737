import path from 'node:path';
import { AuditTrail } from '../shared/audit/service';
import { applyRelease, recordDeployed } from '../shared/delivery/deploymentService';
import { sweepEnvironments } from '../shared/delivery/driftTimer';
import type { DeliveryServices } from '../shared/delivery/services';
import { DeliveryStore } from '../shared/delivery/store';
import { EventOutbox } from '../shared/platform/eventOutbox';
import type { Platform } from '../shared/platform/composition';
import type { HealthCheck, Messaging } from '../shared/platform/ports';
import { SqliteDocumentStore } from '../shared/platform/store/sqliteDocumentStore';
import { createJsonLinesTelemetry } from '../shared/platform/telemetry/jsonLinesTelemetry';
import { LocalRuntimeProvider } from '../shared/runtime';
import { buildModule } from '../shared/runtime/local/moduleBuild';
import { stopReplica } from '../shared/runtime/local/processTable';
import { ProjectRepository } from '../shared/skills/repository';
import { tempDir } from './children';
import { bootstrapOnce, startFactory } from './factory';

// Delivery rows: a release of the SPEC blueprint through three environments on the factory app,
// and one drift sweep over 50 running deployments in the bench process.

const until = async <T>(what: string, timeoutMs: number, everyMs: number, check: () => Promise<T | undefined>): Promise<T> => {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
};

async function stopReplicasOf(dataDir: string): Promise<void> {
  await Promise.all(new LocalRuntimeProvider(path.join(dataDir, 'runtime')).runningPids().map((pid) => stopReplica(pid, 2000)));
}

/**
 * ProjectBootstrap of the SPEC blueprint (not timed), then `POST …/releases` of main as a
 * ReleaseManager; the production approval is given as soon as it is pending. Client time from the
 * POST to the first poll (20 ms) that sees the release Succeeded (first release of this commit: its
 * replicas start from nothing). The modules were built when the commit reached main (a build still
 * running is waited for); `buildMs` times those builds again apart.
 */
export async function releaseThroughEnvironments(): Promise<{ totalMs: number; promotions: string[]; firstSteps: string[]; buildMs: number }> {
  const factory = await startFactory({ invocationLog: false });
  try {
    const { api, tenant } = factory;
    await bootstrapOnce(factory, 'vetclinic-release');
    const releaseManager = (await api.expect<{ secret: string }>(201, 'POST', `tenants/${tenant.tenantId}/keys`, { body: { name: 'rm', roles: ['ReleaseManager'] } })).secret;
    const base = `tenants/${tenant.tenantId}/projects/vetclinic-release/releases`;
    const t0 = Date.now();
    const { releaseId } = await api.expect<{ releaseId: string }>(202, 'POST', base, { key: releaseManager, body: {} });
    const approvalId = await until('the production approval', 300_000, 10, async () => {
      const page = await api.expect<{ items: { approvalId?: string; id?: string; workflowId: string }[] }>(200, 'GET', `tenants/${tenant.tenantId}/approvals?status=pending`, { key: releaseManager });
      const found = page.items.find((a) => a.workflowId === releaseId);
      return found ? (found.approvalId ?? found.id) : undefined;
    });
    await api.expect(200, 'POST', `tenants/${tenant.tenantId}/approvals/${approvalId}/decision`, { key: releaseManager, body: { decision: 'approve' } });
    const done = await until('the release', 300_000, 20, async () => {
      const release = await api.expect<{ status: string; failure?: string; manifest: { commit: string; modules: { folder: string; artifactHash: string }[] }; promotions: { environment: string; startedAt: string; finishedAt?: string; steps: { name: string; output?: string; startedAt: string; finishedAt?: string }[] }[] }>(200, 'GET', `${base}/${releaseId}`, { key: tenant.viewer });
      return release.status === 'Running' ? undefined : release;
    });
    const totalMs = Date.now() - t0;
    if (done.status !== 'Succeeded') throw new Error(`release ${releaseId} ended ${done.status}: ${done.failure}`);
    const spanMs = (x: { startedAt: string; finishedAt?: string }) => Date.parse(x.finishedAt ?? '') - Date.parse(x.startedAt);
    const firstSteps = done.promotions[0].steps.map((step) => `${step.name} ${spanMs(step)} ms`);
    process.stderr.write(`bench: delivery: the first Deploy step: ${done.promotions[0].steps.find((s) => s.name === 'Deploy')?.output}\n`);
    const buildMs = await timeBuilds(factory.host.dataDir, tenant.tenantId, 'vetclinic-release', done.manifest);
    return { totalMs, promotions: done.promotions.map((p) => `${p.environment} ${spanMs(p)} ms`), firstSteps, buildMs };
  } finally {
    await factory.host.stop();
    await stopReplicasOf(factory.host.dataDir);
  }
}

/**
 * What the release no longer waits for: checking out and building the release's modules (as the
 * local runtime does when the commit reaches main), all at once, into a fresh builds folder, timed in
 * the bench process (typescript already loaded, as in the factory's host after ValidateService).
 */
async function timeBuilds(dataDir: string, tenantId: string, projectId: string, manifest: { commit: string; modules: { folder: string; artifactHash: string }[] }): Promise<number> {
  const gitdir = new ProjectRepository(dataDir, tenantId, projectId).gitdir;
  const builds = tempDir('factory-bench-builds-');
  await import('typescript');
  const t0 = performance.now();
  await Promise.all(manifest.modules.map((m) => buildModule(builds, { gitdir, commit: manifest.commit, folder: m.folder }, m.artifactHash)));
  return performance.now() - t0;
}

class SilentMessaging implements Messaging {
  async send(): Promise<void> {}
  async publish(): Promise<void> {}
  async schedule(): Promise<string> {
    return '0';
  }
  async check(): Promise<HealthCheck> {
    return { name: 'messaging', adapter: 'silent', ok: true };
  }
  async close(): Promise<void> {}
}

const SERVER = `require('node:http').createServer((q, s) => { s.writeHead(q.url.startsWith('/health/') ? 200 : 404); s.end(); }).listen(Number(process.env.PORT), process.env.HOST);\n`;

/**
 * 10 projects × 5 modules deployed to `dev` through the local runtime provider (50 node processes,
 * each a tiny HTTP server answering /health/ready), desired states recorded in a SQLite store as a
 * release records them; then the drift sweep the timer runs (one /proc scan, a readiness probe per
 * replica, the comparison and the finding records), `runs` times. Returns the sweep times in ms.
 */
export async function driftSweepOf50(runs: number): Promise<{ ms: number[]; deployments: number; findings: number }> {
  const dataDir = tempDir('factory-bench-drift-');
  const store = SqliteDocumentStore.open(dataDir);
  const telemetry = createJsonLinesTelemetry({ write: () => undefined });
  const outbox = new EventOutbox(store, new AuditTrail(store), new SilentMessaging(), telemetry);
  const runtime = new LocalRuntimeProvider(path.join(dataDir, 'runtime'));
  const services: DeliveryServices = {
    platform: { store, outbox, dataDir, config: {} } as unknown as Platform,
    store: new DeliveryStore(store),
    runtime,
    governance: undefined as never,
    repository: (tenantId, projectId) => new ProjectRepository(dataDir, tenantId, projectId),
  };
  try {
    const modules = ['A', 'B', 'C', 'D', 'E'];
    for (let p = 1; p <= 10; p++) {
      const key = { tenantId: 'bench', projectId: `p${p}` };
      await store.create('projects', { id: key.projectId, tenantId: key.tenantId, type: 'project', name: key.projectId, environments: ['dev'], createdAt: new Date().toISOString(), createdBy: 'bench', updatedAt: new Date().toISOString() });
      const repository = services.repository(key.tenantId, key.projectId);
      const files = modules.flatMap((m) => [{ path: `m-${m.toLowerCase()}/package.json`, content: JSON.stringify({ name: m, scripts: { start: 'node server.js' } }) }, { path: `m-${m.toLowerCase()}/server.js`, content: SERVER }]);
      const { sha } = await repository.commitArtifacts({ branch: 'main', artifacts: files, message: 'bench', author: { name: 'bench', email: 'bench@example.com' }, trailers: { 'Trace-Id': '0'.repeat(32), 'Workflow-Id': 'bench', 'Blueprint-Version': '1' } });
      const manifest = await Promise.all(modules.map(async (m) => ({ name: m, kind: 'microservice', folder: `m-${m.toLowerCase()}`, version: `${sha.slice(0, 12)}+${m}`, artifactHash: (await repository.folderHash(sha, `m-${m.toLowerCase()}`))!, replicas: 1 })));
      const { desired, outcomes } = await applyRelease(services, key, 'dev', { releaseId: 'rel-bench', commit: sha, traceId: '0'.repeat(32), modules: manifest });
      if (outcomes.some((o) => o.status === 'failed')) throw new Error(`deploy of p${p} failed: ${JSON.stringify(outcomes)}`);
      await recordDeployed(services, key, desired, manifest, 'release', { principal: null, traceId: '0'.repeat(32) });
    }
    await sweepEnvironments(services, undefined, '1'.repeat(32));
    const ms: number[] = [];
    let findings = 0;
    for (let i = 0; i < runs; i++) {
      const t0 = performance.now();
      const sweep = await sweepEnvironments(services, undefined, '1'.repeat(32));
      ms.push(performance.now() - t0);
      findings += sweep.findings;
      if (sweep.environments !== 10 || sweep.failures.length) throw new Error(`sweep: ${JSON.stringify(sweep)}`);
    }
    return { ms, deployments: 50, findings };
  } finally {
    await stopReplicasOf(dataDir);
    await outbox.settled();
    await store.close();
  }
}
