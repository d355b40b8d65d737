import fs from 'node:fs';
import path from 'node:path';
import { factoryAppDir } from './children';
import { sleep } from './client';
import { createProject, type FactoryHost } from './factory';

// The main job at scale (issue 15 §5): n ProjectBootstraps of the SPEC §8 blueprint started at once
// on one factory host, approvals given as soon as they are requested, host RSS sampled throughout.

const VETCLINIC = fs.readFileSync(path.join(factoryAppDir, 'shared/blueprints/examples/vetclinic.yaml'), 'utf8');

interface WorkflowView {
  workflowId: string;
  status: string;
  startedAt: string;
  finishedAt?: string;
  failure?: string;
  summary?: { modules: { validated: boolean }[] };
}

interface ApprovalView {
  approvalId?: string;
  id?: string;
  workflowId: string;
}

export interface BatchRun {
  n: number;
  /** From the first start POST to the first / last workflow finishedAt (server clock, same machine), ms. */
  firstMs: number;
  lastMs: number;
  /** Completion rank of each workflow, in start order (0 = finished first). */
  completionRanks: number[];
  /** Host VmRSS: just before the batch, the highest sample during it, and settled after it (MB). */
  rssBeforeMb: number;
  rssPeakMb: number;
  rssAfterMb: number;
}

/** Samples the host's RSS every `everyMs` until stopped; `peak` is the highest sample. */
function rssSampler(factory: FactoryHost, everyMs = 100) {
  let peak = factory.host.rssMb();
  const timer = setInterval(() => {
    peak = Math.max(peak, factory.host.rssMb());
  }, everyMs);
  return {
    stop: () => {
      clearInterval(timer);
      return peak;
    },
  };
}

/**
 * RSS once it stopped falling: after `quietMs` (longer than the 20 s a type-check worker stays idle
 * before it exits), sampled each second until two samples differ by < 2 MB (at most `maxMs` more).
 */
async function settledRss(factory: FactoryHost, quietMs = 25_000, maxMs = 15_000): Promise<number> {
  await sleep(quietMs);
  const deadline = Date.now() + maxMs;
  let last = factory.host.rssMb();
  while (Date.now() < deadline) {
    await sleep(1000);
    const now = factory.host.rssMb();
    if (Math.abs(now - last) < 2) return now;
    last = now;
  }
  return last;
}

/** Approves every pending approval of `workflowIds` as soon as it shows up, until `done()`. */
async function approveAsRequested(factory: FactoryHost, workflowIds: Set<string>, done: () => boolean): Promise<void> {
  const { api, tenant } = factory;
  const decided = new Set<string>();
  while (!done()) {
    const page = await api.expect<{ items: ApprovalView[] }>(200, 'GET', `tenants/${tenant.tenantId}/approvals?status=pending&limit=100`, { key: tenant.architect });
    for (const approval of page.items) {
      const id = approval.approvalId ?? approval.id;
      if (!id || decided.has(id) || !workflowIds.has(approval.workflowId)) continue;
      decided.add(id);
      await api.expect(200, 'POST', `tenants/${tenant.tenantId}/approvals/${id}/decision`, { key: tenant.architect, body: { decision: 'approve', comment: 'bench' } });
    }
    await sleep(50);
  }
}

async function submitted(factory: FactoryHost, projectId: string): Promise<string> {
  const { api, tenant } = factory;
  await createProject(api, tenant, projectId);
  await api.expect(201, 'POST', `tenants/${tenant.tenantId}/projects/${projectId}/blueprints`, { key: tenant.architect, raw: VETCLINIC, contentType: 'application/yaml' });
  return `tenants/${tenant.tenantId}/projects/${projectId}/workflows`;
}

/**
 * Starts `n` ProjectBootstraps of the SPEC §8 blueprint at once (one project each, blueprints
 * submitted beforehand), approves each ArchitectureApproval as soon as it is pending, and waits
 * (polls every 250 ms per workflow, at most `timeoutMs`) until all Completed with 3 validated
 * modules. Throws when one fails.
 */
export async function bootstrapBatch(factory: FactoryHost, n: number, tag: string, timeoutMs = 900_000): Promise<BatchRun> {
  const { api, tenant } = factory;
  const bases = await Promise.all(Array.from({ length: n }, (_, i) => submitted(factory, `${tag}-${i + 1}`)));
  await sleep(1000);
  const rssBeforeMb = factory.host.rssMb();
  const sampler = rssSampler(factory);
  const t0 = Date.now();
  const ids: string[] = [];
  for (const base of bases) ids.push((await api.expect<WorkflowView>(202, 'POST', base, { key: tenant.admin, body: { kind: 'ProjectBootstrap' } })).workflowId);
  const finished = new Map<string, WorkflowView>();
  const approving = approveAsRequested(factory, new Set(ids), () => finished.size === n);
  const deadline = t0 + timeoutMs;
  while (finished.size < n) {
    if (Date.now() > deadline) throw new Error(`${n - finished.size} of ${n} bootstraps still running after ${timeoutMs} ms`);
    await sleep(250);
    for (const [i, id] of ids.entries()) {
      if (finished.has(id)) continue;
      const w = await api.expect<WorkflowView>(200, 'GET', `${bases[i]}/${id}`, { key: tenant.viewer });
      if (w.status === 'Running' || w.status === 'Pending') continue;
      if (w.status !== 'Completed' || !w.summary?.modules.every((m) => m.validated) || w.summary.modules.length !== 3) throw new Error(`bootstrap ${id} ended ${w.status}: ${w.failure ?? JSON.stringify(w.summary)}`);
      finished.set(id, w);
    }
  }
  await approving;
  const rssPeakMb = sampler.stop();
  const rssAfterMb = await settledRss(factory);
  const ends = ids.map((id) => Date.parse(finished.get(id)!.finishedAt ?? '') - t0);
  const byEnd = [...ends].sort((a, b) => a - b);
  return { n, firstMs: byEnd[0], lastMs: byEnd[n - 1], completionRanks: ends.map((end) => byEnd.indexOf(end)), rssBeforeMb, rssPeakMb, rssAfterMb };
}

/**
 * How far completion order is from start order: Spearman's rank correlation of start index and
 * completion rank (1 = finished exactly in the order started, 0 = unrelated, -1 = reversed).
 */
export function orderCorrelation(ranks: readonly number[]): number {
  const n = ranks.length;
  if (n < 2) return 1;
  const d2 = ranks.reduce((sum, rank, i) => sum + (rank - i) ** 2, 0);
  return 1 - (6 * d2) / (n * (n * n - 1));
}
