import type { DocumentStore, Page, Versioned } from '../platform/ports';
import type { ProjectDocument } from './lookup';
import type { BlueprintHeadDocument, BlueprintVersionDocument, ProjectCounterDocument, ProjectPageQuery } from './schemas';

export const PROJECTS_CONTAINER = 'projects';
export const PROJECT_COUNTER_ID = 'projectCounter';
/** Where the blueprints context keeps a project's versions and their head (see shared/blueprints/store.ts). */
const BLUEPRINTS_CONTAINER = 'blueprints';
const BLUEPRINT_HEAD_ID = 'blueprintHead';

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

  /**
   * The project's latest blueprint version (every stored version is valid; rejections are kept
   * apart): a point read of the blueprints head, which moves in the same batch as each new version
   * and carries its modules. Heads written before they carried modules cost one more point read.
   */
  async latestValidBlueprint(tenantId: string, projectId: string): Promise<Pick<BlueprintVersionDocument, 'version' | 'modules'> | undefined> {
    const key = { tenantId, projectId };
    const head = await this.store.read<BlueprintHeadDocument>(BLUEPRINTS_CONTAINER, key, BLUEPRINT_HEAD_ID);
    if (head?.type !== 'blueprintHead') return undefined;
    if (head.latestModules) return { version: head.latestVersion, modules: head.latestModules };
    const version = await this.store.read<BlueprintVersionDocument>(BLUEPRINTS_CONTAINER, key, `version-${head.latestVersion}`);
    return version?.type === 'blueprintVersion' && version.status === 'valid' ? version : undefined;
  }
}
