import { buildManifest } from './manifest';
import type { DeliveryServices } from './services';

type Key = { tenantId: string; projectId: string };

/**
 * Starts getting the modules of a commit that just reached `main` ready to run, in the background
 * (the local runtime checks out and compiles each module once per artifact hash; Azure does nothing,
 * its pipeline builds images), so the first release of that commit does not wait for the builds. A
 * release that comes sooner shares the builds still running. Failures are only the release's
 * concern: it builds again and reports them in its Deploy step. Returns at once.
 */
export function prebuildCommit(services: DeliveryServices, key: Key, commit: string): void {
  const { runtime } = services;
  if (!runtime.prepare) return;
  const repository = services.repository(key.tenantId, key.projectId);
  void buildManifest(services.platform.store, repository, key, commit)
    .then((manifest) => runtime.prepare!(key, manifest.modules.map((m) => ({ artifactHash: m.artifactHash, source: { gitdir: repository.gitdir, commit, folder: m.folder } }))))
    .catch(() => undefined);
}
