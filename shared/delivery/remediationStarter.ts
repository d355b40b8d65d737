import { createHash } from 'node:crypto';
import type { DurableClient } from 'durable-functions';
import { runInTraceId } from '../platform/telemetry/propagation';
import type { DriftRemediationInput } from '../../orchestrations/driftRemediation';
import type { DriftScanResult } from './driftService';
import { environmentOf } from './environmentService';
import type { DeliveryServices } from './services';

/**
 * Starts a DriftRemediation for the scan's open findings, once per set of findings (the instance id
 * is derived from them, so scans repeating an unchanged drift start nothing new), in the scan's trace.
 * Returns its id.
 */
export async function startRemediation(client: DurableClient, services: DeliveryServices, key: { tenantId: string; projectId: string }, scan: DriftScanResult, traceId: string): Promise<string | undefined> {
  if (scan.findings.length === 0) return undefined;
  const findingIds = scan.findings.map((f) => f.findingId).sort();
  const digest = createHash('sha256').update(findingIds.join('\n')).digest('hex').slice(0, 12);
  const remediationId = `drift-${scan.environment}-${digest}`;
  const instanceId = `remediation:${key.tenantId}:${key.projectId}:${remediationId}`;
  const existing = await client.getStatus(instanceId).catch(() => undefined);
  if (existing?.runtimeStatus) return remediationId;
  const environment = await environmentOf(services, key, scan.environment);
  const input: DriftRemediationInput = { ...key, environment: scan.environment, traceId, remediationId, findingIds, selfHeal: environment.selfHeal, approvalTimeoutMs: services.platform.config.FACTORY_APPROVAL_TIMEOUT_SECONDS * 1000 };
  await runInTraceId(traceId, () => client.startNew('DriftRemediation', { instanceId, input }));
  return remediationId;
}
