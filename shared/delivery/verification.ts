import { randomBytes } from 'node:crypto';
import type { DeliveryManifest } from './schemas';
import type { DeliveryServices } from './services';
import { smokeCall } from './smoke';

type Key = { tenantId: string; projectId: string };

/** What a health check found: per module a line for the promotion record, and whether all passed. */
export interface Verification {
  ok: boolean;
  reason?: string;
  health: string[];
  smoke: string[];
}

/**
 * Health check of a deployed release: every replica of every module ready at the release's
 * version, then a smoke call of each module's contract (create one entity and read it back) on one
 * replica. The first failure is the reason.
 */
export async function verifyEnvironment(services: DeliveryServices, key: Key, environment: string, release: { commit: string; traceId: string; modules: DeliveryManifest['modules']; replicasOf: (module: string) => number }): Promise<Verification> {
  const live = await services.runtime.live({ ...key, environment });
  const health: string[] = [];
  for (const module of release.modules) {
    const replicas = live.find((m) => m.module === module.name)?.replicas ?? [];
    const ready = replicas.filter((r) => r.ready && (r.version === undefined || r.version === module.version));
    const wanted = release.replicasOf(module.name);
    health.push(`${module.name}: ${ready.length}/${wanted} replicas ready at ${module.version}${ready[0]?.url ? ` (${ready.map((r) => r.url).join(', ')})` : ''}`);
    if (ready.length < wanted) return { ok: false, reason: `${module.name}: ${ready.length}/${wanted} replicas ready at ${module.version}`, health, smoke: [] };
  }
  const smoke: string[] = [];
  const repository = services.repository(key.tenantId, key.projectId);
  for (const module of release.modules) {
    const replica = live.find((m) => m.module === module.name)?.replicas.find((r) => r.ready && r.url);
    if (!module.contract || !replica?.url) {
      smoke.push(`${module.name}: no contract, readiness only`);
      continue;
    }
    const contract = await repository.readFileAt(release.commit, module.contract);
    try {
      smoke.push(`${module.name}: ${await smokeCall(replica.url, contract ?? '', `00-${release.traceId}-${randomBytes(8).toString('hex')}-01`)}`);
    } catch (error) {
      const reason = `${module.name}: smoke call failed: ${error instanceof Error ? error.message : String(error)}`;
      smoke.push(reason);
      return { ok: false, reason, health, smoke };
    }
  }
  return { ok: true, health, smoke };
}
