import type { ChangeContext } from '../platform/eventOutbox';
import { Validation } from '../platform/http/errors';
import { formatIssuePath } from '../platform/http/validation';
import { StoreConflict, type BatchOperation, type DocumentStore } from '../platform/ports';
import { toDay, toMonth } from './periods';
import { DEFAULT_PRICE_TABLE, toCostEstimate, toUsd, type PriceTable } from './priceTable';
import { usageInputSchema, type UsageInput, type UsageMeterDocument, type UsageRecord, type UsageRecordDocument } from './schemas';
import { PLATFORM_USAGE_KEY, toMeterId, toRecordId, toScopeKey, USAGE_CONTAINER, UsageStore } from './store';

export interface UsageDeps {
  store: DocumentStore;
  /** Default: `DEFAULT_PRICE_TABLE`; the composition passes `toPriceTable(config.FACTORY_PRICE_TABLE)`. */
  prices?: PriceTable;
  now?: () => Date;
}

/** Concurrent records of one project race for the month meter's ETag; each lost race re-reads it. */
const MAX_RECORD_ATTEMPTS = 30;

/**
 * Meters agent work: one usage record per agent task attempt, priced from the price table. The
 * record and its month meter commit in one batch, so the month total is exact at all times.
 */
export class UsageService {
  private readonly usage: UsageStore;
  private readonly prices: PriceTable;
  private readonly now: () => Date;
  /** Index entries known to exist, so steady traffic reads no index documents. */
  private readonly indexed = new Set<string>();

  constructor(deps: UsageDeps) {
    this.usage = new UsageStore(deps.store);
    this.prices = deps.prices ?? DEFAULT_PRICE_TABLE;
    this.now = deps.now ?? (() => new Date());
  }

  /**
   * Records one attempt's usage. Idempotent by (taskId, attempt): a duplicate delivery writes
   * nothing and returns the record made first. Throws `Validation` for a malformed input.
   */
  async record(input: UsageInput, change: ChangeContext): Promise<UsageRecord> {
    const parsed = usageInputSchema.safeParse(input);
    if (!parsed.success) throw new Validation(parsed.error.issues.map((i) => ({ path: formatIssuePath(i.path, 'usage'), message: i.message })));
    const usage = parsed.data;
    const key = toScopeKey(usage.tenantId, usage.projectId);
    const id = toRecordId(usage.taskId, usage.attempt);
    const existing = await this.usage.readRecord(key, id);
    if (existing) return toUsageRecord(existing);

    const { tenantId, projectId, at: happenedAt, ...fields } = usage;
    const recordedAt = this.now().toISOString();
    const at = happenedAt ? new Date(happenedAt).toISOString() : recordedAt;
    const record: UsageRecordDocument = {
      id,
      tenantId,
      projectId,
      type: 'usageRecord',
      ...fields,
      ...toCostEstimate(this.prices, usage),
      at,
      day: toDay(at),
      month: toMonth(at),
      recordedAt,
      recordedBy: change.principal?.id ?? null,
      traceId: change.traceId,
    };
    // The indexes first: the rollup then never misses a month that has a record.
    await this.index(tenantId, projectId, record.month);
    for (let attempt = 0; attempt < MAX_RECORD_ATTEMPTS; attempt++) {
      const meter = await this.usage.readMeter(key, record.month);
      const next = toNextMeter(meter, record);
      const operations: BatchOperation[] = [
        { op: 'create', document: record },
        meter ? { op: 'replace', document: next, ifMatch: meter._etag } : { op: 'create', document: next },
      ];
      try {
        await this.usage.store.batch(USAGE_CONTAINER, key, operations);
        return toUsageRecord(record);
      } catch (error) {
        if (!(error instanceof StoreConflict)) throw error;
        const raced = await this.usage.readRecord(key, id);
        if (raced) return toUsageRecord(raced);
        await new Promise((resolve) => setTimeout(resolve, Math.random() * Math.min(2 ** attempt, 50)));
      }
    }
    throw new StoreConflict(`Usage of project '${projectId}' is recorded by too many writers at once; retry.`);
  }

  private async index(tenantId: string, projectId: string, month: string): Promise<void> {
    const entry = `${tenantId}/${projectId}/${month}`;
    if (this.indexed.has(entry)) return;
    await this.usage.addToIndex(PLATFORM_USAGE_KEY, month, tenantId);
    await this.usage.addToIndex(toScopeKey(tenantId), month, projectId);
    this.indexed.add(entry);
  }
}

function toNextMeter(meter: UsageMeterDocument | undefined, record: UsageRecordDocument): UsageMeterDocument {
  const dirtyDays = new Set(meter?.dirtyDays ?? []).add(record.day);
  return {
    id: toMeterId(record.month),
    tenantId: record.tenantId,
    projectId: record.projectId,
    type: 'usageMeter',
    month: record.month,
    records: (meter?.records ?? 0) + 1,
    costNanoUsd: (meter?.costNanoUsd ?? 0) + record.costNanoUsd,
    dirtyDays: [...dirtyDays].sort(),
    updatedAt: record.recordedAt,
  };
}

export function toUsageRecord(document: UsageRecordDocument): UsageRecord {
  const { id, tenantId, projectId, workflowId, taskId, attempt, agentRole, skill, provider, model, tokensIn, tokensOut, durationMs, costNanoUsd, priceKey, at, month, recordedAt } = document;
  return { recordId: id, tenantId, projectId, workflowId, taskId, attempt, agentRole, skill, provider, model, tokensIn, tokensOut, durationMs, costUsd: toUsd(costNanoUsd), priceKey, at, period: month, recordedAt };
}
