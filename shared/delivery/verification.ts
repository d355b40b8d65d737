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
 * replica, all modules at once. The first failure (in manifest order) is the reason.
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
  const repository = services.repository(key.tenantId, key.projectId);
  const calls = await Promise.all(release.modules.map((module) => smokeModule(repository, module, live.find((m) => m.module === module.name)?.replicas.find((r) => r.ready && r.url)?.url, release)));
  const smoke = calls.map((c) => c.line);
  const failed = calls.find((c) => !c.ok);
  if (failed) return { ok: false, reason: failed.line, health, smoke };
  return { ok: true, health, smoke };
}

/** The smoke call of one module on one ready replica (modules are called in parallel): its line for the record. */
async function smokeModule(repository: ReturnType<DeliveryServices['repository']>, module: DeliveryManifest['modules'][number], url: string | undefined, release: { commit: string; traceId: string }): Promise<{ ok: boolean; line: string }> {
  if (!module.contract || !url) return { ok: true, line: `${module.name}: no contract, readiness only` };
  const contract = await repository.readFileAt(release.commit, module.contract);
  try {
    return { ok: true, line: `${module.name}: ${await smokeCall(url, contract ?? '', `00-${release.traceId}-${randomBytes(8).toString('hex')}-01`)}` };
  } catch (error) {
    return { ok: false, line: `${module.name}: smoke call failed: ${error instanceof Error ? error.message : String(error)}` };
  }
}
