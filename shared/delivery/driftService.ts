import { changeEvent, type ChangeContext } from '../platform/eventOutbox';
import type { BatchOperation } from '../platform/ports';
import type { OutboxEvent } from '../platform/store/outboxDocument';
import type { LiveModule } from '../runtime';
import { compareDesiredLive, type DriftFinding } from './drift';
import { DELIVERY_CONTAINER, type DriftFindingDocument } from './schemas';
import type { DeliveryServices } from './services';
import { toFindingDocumentId } from './store';

type Key = { tenantId: string; projectId: string };

/** What a scan found: every current finding (open), and which it opened and resolved. */
export interface DriftScanResult {
  environment: string;
  scannedAt: string;
  findings: (DriftFinding & { status: 'open'; detectedAt: string })[];
  opened: string[];
  resolved: string[];
}

/**
 * Scans one environment: compares its desired state with the provider's live state and records
 * the findings. A finding seen before stays one open record (its `lastSeenAt` moves); a new one is
 * recorded with `RuntimeDriftDetected.v1`; an open one no longer seen is resolved with
 * `RuntimeDriftResolved.v1`. `live` may be passed when already read (the timer reads many at once).
 */
export async function scanEnvironment(services: DeliveryServices, key: Key, environment: string, change: ChangeContext, live?: LiveModule[]): Promise<DriftScanResult> {
  const desired = await services.store.desired(key, environment);
  const current = compareDesiredLive(desired, live ?? (await services.runtime.live({ ...key, environment })));
  const now = new Date().toISOString();
  const open = await allOpen(services, key, environment);
  const operations: BatchOperation[] = [];
  const events: OutboxEvent[] = [];
  const findings: DriftScanResult['findings'] = [];
  const opened: string[] = [];
  for (const finding of current) {
    const existing = open.find((f) => f.findingId === finding.findingId);
    if (existing) {
      findings.push({ ...finding, status: 'open', detectedAt: existing.detectedAt });
      continue;
    }
    const document: DriftFindingDocument = { id: toFindingDocumentId(environment, finding.findingId), ...key, type: 'driftFinding', findingId: finding.findingId, environment, module: finding.module, kind: finding.kind, expected: finding.expected, actual: finding.actual, status: 'open', detectedAt: now, lastSeenAt: now, traceId: change.traceId };
    operations.push({ op: 'upsert', document });
    events.push(changeEvent('RuntimeDriftDetected.v1', { environment: environment as 'dev', findings: [{ resource: finding.module, property: finding.kind, expected: finding.expected, actual: finding.actual, findingId: finding.findingId }] }, change, { ...key, subject: `environments/${environment}/drift/${finding.findingId}` }));
    findings.push({ ...finding, status: 'open', detectedAt: now });
    opened.push(finding.findingId);
  }
  const resolved: string[] = [];
  for (const stale of open.filter((f) => !current.some((c) => c.findingId === f.findingId))) {
    const { _etag, ...document } = stale;
    operations.push({ op: 'replace', document: { ...document, status: 'resolved', resolvedAt: now, lastSeenAt: stale.lastSeenAt, resolvedTraceId: change.traceId }, ifMatch: _etag });
    events.push(changeEvent('RuntimeDriftResolved.v1', { findingId: stale.findingId, environment, module: stale.module, kind: stale.kind }, change, { ...key, subject: `environments/${environment}/drift/${stale.findingId}` }));
    resolved.push(stale.findingId);
  }
  if (operations.length) await services.platform.outbox.commit(DELIVERY_CONTAINER, key, operations, events);
  return { environment, scannedAt: now, findings, opened, resolved };
}

async function allOpen(services: DeliveryServices, key: Key, environment: string) {
  const found = [];
  let continuation: string | undefined;
  do {
    const page = await services.store.findings(key, environment, 'open', { limit: 100, continuation });
    found.push(...page.items);
    continuation = page.continuation;
  } while (continuation);
  return found;
}
