import { randomBytes } from 'node:crypto';
import type { DurableClient } from 'durable-functions';
import { LocalRuntimeProvider, type LiveModule } from '../runtime';
import { scanEnvironment } from './driftService';
import { startRemediation } from './remediationStarter';
import { getDeliveryServices, type DeliveryServices } from './services';

/** What one run of the driftScan timer did. */
export interface DriftSweep {
  environments: number;
  findings: number;
  opened: number;
  resolved: number;
  remediations: number;
  failures: string[];
}

/**
 * Scans every deployed environment (the platform index) for drift; the local provider reads all
 * live states from one process scan. A failing environment is reported and the sweep goes on.
 */
export async function runDriftSweep(client: DurableClient | undefined, traceId = randomBytes(16).toString('hex')): Promise<DriftSweep> {
  return sweepEnvironments(await getDeliveryServices(), client, traceId);
}

/** The sweep over given services (the timer's, or a benchmark's). */
export async function sweepEnvironments(services: DeliveryServices, client: DurableClient | undefined, traceId: string): Promise<DriftSweep> {
  const targets: { tenantId: string; projectId: string; environment: string }[] = [];
  let continuation: string | undefined;
  do {
    const page = await services.store.indexed({ limit: 100, continuation });
    targets.push(...page.items.map((i) => i.target));
    continuation = page.continuation;
  } while (continuation);
  const lives: (LiveModule[] | undefined)[] = services.runtime instanceof LocalRuntimeProvider ? await services.runtime.liveMany(targets) : targets.map(() => undefined);
  const sweep: DriftSweep = { environments: targets.length, findings: 0, opened: 0, resolved: 0, remediations: 0, failures: [] };
  const change = { principal: { id: 'system:drift-scan' }, traceId };
  await Promise.all(
    targets.map(async (target, i) => {
      const key = { tenantId: target.tenantId, projectId: target.projectId };
      try {
        const result = await scanEnvironment(services, key, target.environment, change, lives[i]);
        sweep.findings += result.findings.length;
        sweep.opened += result.opened.length;
        sweep.resolved += result.resolved.length;
        if (client && (await startRemediation(client, services, key, result, traceId))) sweep.remediations++;
      } catch (error) {
        sweep.failures.push(`${target.tenantId}/${target.projectId}/${target.environment}: ${error instanceof Error ? error.message : String(error)}`);
      }
    }),
  );
  return sweep;
}

/** At host start (local provider): re-adopt running replicas and start the missing ones of every recorded desired state. */
export async function reconcileOnStart(): Promise<{ environments: number; started: number } | undefined> {
  const services = await getDeliveryServices();
  if (!(services.runtime instanceof LocalRuntimeProvider)) return undefined;
  const result = await services.runtime.reconcileRecorded();
  return { environments: result.environments, started: result.outcomes.filter((o) => o.status === 'updated').length };
}
