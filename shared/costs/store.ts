import { StoreConflict, type DocumentStore, type PartitionKey, type StoredDocument, type Versioned } from '../platform/ports';
import { toDerivedId } from '../platform/store/documentId';
import type { BudgetDocument, UsageIndexDocument, UsageMeterDocument, UsageRecordDocument, UsageRollupDocument } from './schemas';

export const USAGE_CONTAINER = 'usage';

/** The reserved projectId of tenant-level documents (budgets, totals, the project index); no project id can start with `_`. */
export const TENANT_SCOPE = '_tenant';

/** Where the index of tenants with usage lives. */
export const PLATFORM_USAGE_KEY = { tenantId: '_platform', projectId: '_tenants' } as const;

/** The partition of a project's usage, or of the tenant's (`projectId` absent). */
export function toScopeKey(tenantId: string, projectId?: string): { tenantId: string; projectId: string } {
  return { tenantId, projectId: projectId ?? TENANT_SCOPE };
}

export const toRecordId = (taskId: string, attempt: number) => toDerivedId('usage', taskId, String(attempt));
export const toMeterId = (month: string) => `meter-${month}`;
export const toRollupId = (period: string) => `rollup-${period}`;
export const toIndexId = (month: string) => `index-${month}`;
export const toBudgetAlertId = (month: string) => `budgetExceeded-${month}`;
export const BUDGET_ID = 'budget';

const INDEX_ATTEMPTS = 20;

/** The costs context's documents in the `usage` container; every read is a point read or a single-partition query. */
export class UsageStore {
  constructor(readonly store: DocumentStore) {}

  readRecord(key: PartitionKey, id: string): Promise<Versioned<UsageRecordDocument> | undefined> {
    return this.readTyped<UsageRecordDocument>(key, id, 'usageRecord');
  }

  readMeter(key: PartitionKey, month: string): Promise<Versioned<UsageMeterDocument> | undefined> {
    return this.readTyped<UsageMeterDocument>(key, toMeterId(month), 'usageMeter');
  }

  readRollup(key: PartitionKey, period: string): Promise<Versioned<UsageRollupDocument> | undefined> {
    return this.readTyped<UsageRollupDocument>(key, toRollupId(period), 'usageRollup');
  }

  readBudget(key: PartitionKey): Promise<Versioned<BudgetDocument> | undefined> {
    return this.readTyped<BudgetDocument>(key, BUDGET_ID, 'budget');
  }

  /** The members (projects of a tenant, or tenants) with usage in `month`. */
  async indexMembers(key: PartitionKey, month: string): Promise<string[]> {
    return (await this.readTyped<UsageIndexDocument>(key, toIndexId(month), 'usageIndex'))?.members ?? [];
  }

  /** Adds `member` to the month's index; a no-op when it is there already. */
  async addToIndex(key: { tenantId: string; projectId: string }, month: string, member: string): Promise<void> {
    for (let attempt = 0; attempt < INDEX_ATTEMPTS; attempt++) {
      const index = await this.readTyped<UsageIndexDocument>(key, toIndexId(month), 'usageIndex');
      if (index?.members.includes(member)) return;
      const next: UsageIndexDocument = { id: toIndexId(month), ...key, type: 'usageIndex', month, members: [...(index?.members ?? []), member].sort() };
      try {
        if (index) await this.store.replace(USAGE_CONTAINER, next, index._etag);
        else await this.store.create(USAGE_CONTAINER, next);
        return;
      } catch (error) {
        if (!(error instanceof StoreConflict)) throw error;
      }
    }
    throw new StoreConflict(`The usage index ${toIndexId(month)} of ${key.tenantId} stays contended.`);
  }

  /** The day and month rollups of a month in one partition (at most 32 documents). */
  async rollupsOfMonth(key: PartitionKey, month: string): Promise<Versioned<UsageRollupDocument>[]> {
    const page = await this.store.query<UsageRollupDocument>(USAGE_CONTAINER, key, {
      where: [
        { field: 'type', op: '=', value: 'usageRollup' },
        { field: 'month', op: '=', value: month },
      ],
      limit: 100,
    });
    return page.items;
  }

  /** Every usage record of one day in one partition, page by page. */
  async *recordsOfDay(key: PartitionKey, day: string): AsyncGenerator<UsageRecordDocument> {
    let continuation: string | undefined;
    do {
      const page = await this.store.query<UsageRecordDocument>(USAGE_CONTAINER, key, {
        where: [
          { field: 'type', op: '=', value: 'usageRecord' },
          { field: 'day', op: '=', value: day },
        ],
        limit: 1000,
        continuation,
      });
      yield* page.items;
      continuation = page.continuation;
    } while (continuation);
  }

  private async readTyped<T extends StoredDocument>(key: PartitionKey, id: string, type: T['type']): Promise<Versioned<T> | undefined> {
    const document = await this.store.read<T>(USAGE_CONTAINER, key, id);
    return document?.type === type ? document : undefined;
  }
}
