import type { ApiClient } from '../api/client';
import { ApiProblem } from '../api/problem';
import type { Deployment, Page, Release, Workflow } from '../api/types';

/** What became of a workflow's commit: the releases of it, their promotions, and the deployments they made. */
export interface DeliveryLineage {
  releases: Release[];
  deployments: Deployment[];
}

/** At most this many releases are followed (newest first); older ones stay on the delivery page. */
const MAX_RELEASES = 5;

/**
 * The releases that carry a workflow on: those built from its commit, or started in its trace (a
 * release inherits the trace of the milestone or request that started it). `undefined` when the
 * factory has no delivery routes or the workflow made no commit and shares no trace with a release.
 */
export async function loadDeliveryLineage(api: ApiClient, projectBase: string, workflow: Workflow | undefined): Promise<DeliveryLineage | undefined> {
  if (!workflow) return undefined;
  const commit = workflow.summary?.commit?.sha;
  let listed: Release[];
  try {
    listed = (await api.get<Page<Release>>(`${projectBase}/releases`, { limit: 100 })).items;
  } catch (error) {
    if (error instanceof ApiProblem && error.status === 404) return undefined;
    throw error;
  }
  const related = listed.filter((r) => (commit && r.manifest.commit === commit) || r.traceId === workflow.traceId).slice(0, MAX_RELEASES);
  if (related.length === 0) return undefined;
  const releases = await Promise.all(related.map((r) => api.get<Release>(`${projectBase}/releases/${encodeURIComponent(r.releaseId)}`)));
  const ids = new Set(releases.map((r) => r.releaseId));
  const environments = [...new Set(releases.flatMap((r) => (r.promotions ?? []).map((p) => p.environment)))];
  const pages = await Promise.all(environments.map((env) => api.get<Page<Deployment>>(`${projectBase}/environments/${encodeURIComponent(env)}/deployments`, { limit: 100 })));
  return { releases, deployments: pages.flatMap((p) => p.items).filter((d) => ids.has(d.releaseId)) };
}
