import type { Principal } from '../platform/auth/principal';
import type { ChangeContext, EventOutbox } from '../platform/eventOutbox';
import { Conflict, QuotaExceeded, Validation } from '../platform/http/errors';
import { idSchema } from '../platform/http/tenantParams';
import { StoreConflict, type BatchOperation, type DocumentStore, type Page } from '../platform/ports';
import { toSlug } from '../tenancy/schemas';
import type { TenantService } from '../tenancy/service';
import { toProjectCreated } from './events';
import { requireProject, type ProjectDocument } from './lookup';
import { ENVIRONMENTS, toModuleView, toProjectView, type NewProject, type ProjectDetailView, type ProjectPageQuery, type ProjectView } from './schemas';
import { PROJECT_COUNTER_ID, PROJECTS_CONTAINER, ProjectStore } from './store';

export interface ProjectsDeps {
  store: DocumentStore;
  outbox: EventOutbox;
  tenants: TenantService;
  now?: () => Date;
}

/** Creates race for the counter's ETag; each lost race re-reads it, this many times at most. */
const MAX_CREATE_ATTEMPTS = 20;

/** Projects of a tenant, their environments, and the modules of their latest valid blueprint. */
export class ProjectService {
  private readonly projects: ProjectStore;
  private readonly now: () => Date;

  constructor(private readonly deps: ProjectsDeps) {
    this.projects = new ProjectStore(deps.store);
    this.now = deps.now ?? (() => new Date());
  }

  /**
   * Creates a project within the edition's `maxProjects`: the project, the tenant's project counter
   * (ifMatch) and the event commit in one batch, so concurrent creates cannot overshoot the quota.
   */
  async create(tenantId: string, input: NewProject, change: ChangeContext & { principal: Principal }): Promise<ProjectView> {
    const projectId = input.projectId ?? toSlug(input.name);
    if (!idSchema.safeParse(projectId).success) throw new Validation([{ path: 'body.projectId', message: 'required: the name gives no usable slug' }]);
    const { maxProjects, edition } = await this.deps.tenants.entitlements(tenantId);
    const at = this.now().toISOString();
    const project: ProjectDocument = {
      id: projectId,
      tenantId,
      type: 'project',
      name: input.name,
      ...(input.description !== undefined ? { description: input.description } : {}),
      environments: ENVIRONMENTS.filter((environment) => input.environments.includes(environment)),
      createdAt: at,
      createdBy: change.principal.id,
      updatedAt: at,
    };
    for (let attempt = 0; attempt < MAX_CREATE_ATTEMPTS; attempt++) {
      if (await this.projects.read(tenantId, projectId)) throw new Conflict(`Project '${projectId}' already exists.`, 'ProjectExists');
      const counter = await this.projects.readCounter(tenantId);
      const count = counter?.count ?? 0;
      if (count >= maxProjects) {
        throw new QuotaExceeded(`The ${edition} edition allows ${maxProjects} projects; this tenant has ${count}.`, { code: 'QuotaExceeded' });
      }
      const next = { id: PROJECT_COUNTER_ID, tenantId, type: 'projectCounter', count: count + 1 };
      const operations: BatchOperation[] = [
        { op: 'create', document: project },
        counter ? { op: 'replace', document: next, ifMatch: counter._etag } : { op: 'create', document: next },
      ];
      try {
        await this.deps.outbox.commit(PROJECTS_CONTAINER, { tenantId }, operations, [toProjectCreated(project, change)]);
        return toProjectView(project);
      } catch (error) {
        if (!(error instanceof StoreConflict)) throw error;
        await new Promise((resolve) => setTimeout(resolve, Math.min(2 ** attempt, 50)));
      }
    }
    throw new Conflict('Too many concurrent project creates in this tenant; retry.');
  }

  async list(tenantId: string, page: ProjectPageQuery): Promise<Page<ProjectView>> {
    await this.deps.tenants.require(tenantId);
    const result = await this.projects.list(tenantId, page);
    return { items: result.items.map(toProjectView), ...(result.continuation ? { continuation: result.continuation } : {}) };
  }

  /** The project with the modules (and their dependencies) of its latest valid blueprint version. */
  async get(tenantId: string, projectId: string): Promise<ProjectDetailView> {
    const project = await requireProject(this.deps.store, tenantId, projectId);
    const blueprint = await this.projects.latestValidBlueprint(tenantId, projectId);
    return { ...toProjectView(project), blueprintVersion: blueprint?.version ?? null, modules: (blueprint?.modules ?? []).map(toModuleView) };
  }
}
