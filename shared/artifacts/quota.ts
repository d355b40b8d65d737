import { QuotaExceeded } from '../platform/http/errors';
import type { BatchOperation, DocumentStore, StoredDocument } from '../platform/ports';
import type { ProjectKey } from './store';

/** The per-project artifact count: container `artifacts`, partition `{ tenantId, projectId }`, id `artifactCounter`. */
export interface ArtifactCounterDocument extends StoredDocument {
  type: 'artifactCounter';
  projectId: string;
  /** Artifact versions the project holds. */
  count: number;
  updatedAt: string;
}

/** The edition's artifact quota of a tenant (`maxArtifactsPerProject`, shared/tenancy/editions.ts). */
export type ArtifactQuotaSource = (tenantId: string) => Promise<{ limit: number; edition: string }>;

export const ARTIFACT_COUNTER_ID = 'artifactCounter';
const CONTAINER = 'artifacts';

/**
 * Enforces `maxArtifactsPerProject` on new artifacts. The count lives in one counter document in the
 * project's own partition, replaced (with its ETag) in the same batch as the new artifact — so the
 * count never drifts from the artifacts and two stores racing for the last slot cannot both win (the
 * loser's batch conflicts, re-reads the counter and gets the 429). A project whose artifacts predate
 * the counter is counted once, when its counter is first written.
 */
export class ArtifactQuota {
  constructor(
    private readonly store: DocumentStore,
    private readonly source: ArtifactQuotaSource | undefined,
  ) {}

  /**
   * The counter operation to add to the new artifact's batch; 429 `ArtifactQuotaExceeded` when the
   * project already holds its edition's limit. Without a quota source nothing is counted or limited.
   */
  async reserve(key: ProjectKey, now: string): Promise<BatchOperation | undefined> {
    if (!this.source) return undefined;
    const counter = await this.store.read<ArtifactCounterDocument>(CONTAINER, key, ARTIFACT_COUNTER_ID);
    const count = counter?.count ?? (await this.countExisting(key));
    const { limit, edition } = await this.source(key.tenantId);
    if (count >= limit) {
      throw new QuotaExceeded(`The ${edition} edition keeps ${limit} artifacts per project; project '${key.projectId}' has ${count}.`, { code: 'ArtifactQuotaExceeded' });
    }
    const next: ArtifactCounterDocument = { id: ARTIFACT_COUNTER_ID, tenantId: key.tenantId, projectId: key.projectId, type: 'artifactCounter', count: count + 1, updatedAt: now };
    return counter ? { op: 'replace', document: next, ifMatch: counter._etag } : { op: 'create', document: next };
  }

  private async countExisting(key: ProjectKey): Promise<number> {
    let count = 0;
    let continuation: string | undefined;
    do {
      const page = await this.store.query(CONTAINER, key, { where: [{ field: 'type', op: '=', value: 'artifact' }], limit: 1000, continuation });
      count += page.items.length;
      continuation = page.continuation;
    } while (continuation);
    return count;
  }
}
