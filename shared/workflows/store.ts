import type { DocumentStore, Page, QuerySpec } from '../platform/ports';
import { StoreConflict } from '../platform/ports';
import { toDocumentId } from '../platform/store/documentId';
import { toTenantFailure } from './failureText';
import type { AgentTaskDocument, StepDocument, WorkflowDocument } from './schemas';

/** Step patches as the orchestrations send them; `finished` stamps the end time. */
export interface StepPatch {
  status?: StepDocument['status'];
  agent?: string;
  skill?: string;
  module?: string;
  attempts?: number;
  artifacts?: string[];
  failure?: string;
  finished?: boolean;
}

const stepId = (workflowId: string, step: string) => toDocumentId('step', workflowId, step);

/** Workflow instances, their timeline steps and agent tasks (container `workflows`). */
export class WorkflowStore {
  constructor(private readonly store: DocumentStore) {}

  get(tenantId: string, projectId: string, workflowId: string) {
    return this.store.read<WorkflowDocument>('workflows', { tenantId, projectId }, workflowId);
  }

  /** Newest first; `kind`, `status` and `since` (ISO time, inclusive, on startedAt) narrow the list. */
  list(tenantId: string, projectId: string, page: { limit: number; continuation?: string; kind?: string; status?: string; since?: string }): Promise<Page<WorkflowDocument>> {
    const { kind, status, since, ...paging } = page;
    const where: QuerySpec['where'] = [{ field: 'type', op: '=', value: 'workflow' }];
    if (kind) where.push({ field: 'kind', op: '=', value: kind });
    if (status) where.push({ field: 'status', op: '=', value: status });
    if (since) where.push({ field: 'startedAt', op: '>=', value: since });
    return this.store.query<WorkflowDocument>('workflows', { tenantId, projectId }, { where, orderBy: { field: 'startedAt', direction: 'desc' }, ...paging });
  }

  async steps(tenantId: string, projectId: string, workflowId: string): Promise<StepDocument[]> {
    const out: StepDocument[] = [];
    let continuation: string | undefined;
    do {
      const page = await this.store.query<StepDocument>('workflows', { tenantId, projectId }, {
        where: [
          { field: 'type', op: '=', value: 'workflowStep' },
          { field: 'workflowId', op: '=', value: workflowId },
        ],
        orderBy: { field: 'startedAt' },
        limit: 500,
        continuation,
      });
      out.push(...page.items);
      continuation = page.continuation;
    } while (continuation);
    return out;
  }

  /** Creates or updates a timeline step (last writer wins per field; retried on concurrent updates). */
  async recordStep(tenantId: string, projectId: string, workflowId: string, step: string, patch: StepPatch, now: Date): Promise<void> {
    const key = { tenantId, projectId };
    const id = stepId(workflowId, step);
    for (let attempt = 0; attempt < 20; attempt++) {
      const existing = await this.store.read<StepDocument>('workflows', key, id);
      const { finished, ...fields } = { ...patch, ...(patch.failure ? { failure: toTenantFailure(patch.failure) } : {}) };
      const next: StepDocument = {
        ...(existing ?? { id, tenantId, projectId, type: 'workflowStep', workflowId, step, attempts: 1, status: 'running', startedAt: now.toISOString(), artifacts: [] }),
        ...Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined)),
        ...(finished ? { finishedAt: now.toISOString() } : {}),
      } as StepDocument;
      if (patch.failure === undefined && patch.status === 'succeeded') delete next.failure;
      delete (next as Partial<typeof existing>)?._etag;
      try {
        if (existing) await this.store.replace('workflows', next, existing._etag);
        else await this.store.create('workflows', next);
        return;
      } catch (error) {
        if (!(error instanceof StoreConflict)) throw error;
      }
    }
    throw new Error(`Could not record step ${step} of ${workflowId}: too much contention.`);
  }

  getTask(tenantId: string, projectId: string, taskId: string) {
    return this.store.read<AgentTaskDocument>('workflows', { tenantId, projectId }, this.taskDocumentId(taskId));
  }

  taskDocumentId(taskId: string): string {
    return toDocumentId('task', taskId);
  }
}
