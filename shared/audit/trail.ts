import { getPlatform } from '../platform/composition';
import type { EventSubscriberDeps } from '../platform/eventSubscribers';
import type { DocumentStore } from '../platform/ports';
import { FileCheckpointWitness } from './checkpoint';
import { loadAuditKeys } from './keys';
import { AuditTrail } from './service';

const trails = new WeakMap<DocumentStore, AuditTrail>();

/**
 * The process's audit trail over the platform's store: keys from `FACTORY_AUDIT_KEY` or the data
 * dir, checkpoints witnessed in the data dir. The same instance subscribes to the event stream
 * (registered by `functions/audit.ts`) and serves the audit routes.
 */
export function auditTrailFor(deps: EventSubscriberDeps): AuditTrail {
  let trail = trails.get(deps.store);
  if (!trail) {
    // Shared stores are shared by instances: each would generate its own key in its own temp dir.
    if (deps.config.COSMOS_ENDPOINT && !deps.config.FACTORY_AUDIT_KEY) throw new Error('FACTORY_AUDIT_KEY is required with the Cosmos store: every instance must key the audit chain with the same secret.');
    trail = new AuditTrail(deps.store, { keys: loadAuditKeys(deps.config.FACTORY_AUDIT_KEY, deps.dataDir), witness: new FileCheckpointWitness(deps.dataDir) });
    trails.set(deps.store, trail);
  }
  return trail;
}

export async function getAuditTrail(): Promise<AuditTrail> {
  const { store, dataDir, config } = await getPlatform();
  return auditTrailFor({ store, dataDir, config });
}
