import type { DocumentStore, Page, Versioned } from '../platform/ports';
import type { ProjectDocument } from './lookup';
import type { BlueprintVersionDocument, ProjectCounterDocument, ProjectPageQuery } from './schemas';

export const PROJECTS_CONTAINER = 'projects';
export const PROJECT_COUNTER_ID = 'projectCounter';

/** Project documents, the per-tenant project counter, and the blueprint versions a project's modules come from. */
export class ProjectStore {
  constructor(private readonly store: DocumentStore) {}

  async read(tenantId: string, projectId: string): Promise<Versioned<ProjectDocument> | undefined> {
    const document = await this.store.read<ProjectDocument>(PROJECTS_CONTAINER, { tenantId }, projectId);
    return document?.type === 'project' ? document : undefined;
  }

  async readCounter(tenantId: string): Promise<Versioned<ProjectCounterDocument> | undefined> {
    return this.store.read<ProjectCounterDocument>(PROJECTS_CONTAINER, { tenantId }, PROJECT_COUNTER_ID);
  }

  /** The tenant's projects, oldest first. A continuation token the store refuses is a 400 at `query.continuation`. */
  async list(tenantId: string, page: ProjectPageQuery): Promise<Page<Versioned<ProjectDocument>>> {
    return this.store.query<ProjectDocument>(PROJECTS_CONTAINER, { tenantId }, {
        where: [{ field: 'type', op: '=', value: 'project' }],
        orderBy: { field: 'createdAt' },
        limit: page.limit,
        continuation: page.continuation,
      });
  }

  /** The highest-numbered valid blueprint version of the project, if any. */
  async latestValidBlueprint(tenantId: string, projectId: string): Promise<BlueprintVersionDocument | undefined> {
    const page = await this.store.query<BlueprintVersionDocument>('blueprints', { tenantId, projectId }, {
      where: [
        { field: 'type', op: '=', value: 'blueprintVersion' },
        { field: 'status', op: '=', value: 'valid' },
      ],
      orderBy: { field: 'version', direction: 'desc' },
      limit: 1,
    });
    return page.items[0];
  }
}
