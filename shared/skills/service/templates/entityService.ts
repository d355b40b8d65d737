/** `src/entityService.ts` of a generated service: the use cases of one entity, over its repository. */
export const ENTITY_SERVICE_TS = `import { createHash, randomUUID } from 'node:crypto';
import { toCloudEvent, traceIdOf, type EventOrigin, type EventPublisher } from './events';
import { HttpProblem, badRequest, notFound } from './http';
import type { EntityRecord, Page, Repository } from './repository';
import { checkFields, isUuid, pickFields, type FieldSpec } from './validation';

/** Event types published after each kind of change (the rule is in the README). */
export interface EntityEvents {
  create: readonly string[];
  update: readonly string[];
  delete: readonly string[];
}

export interface EntityServiceOptions<T extends EntityRecord> {
  entity: string;
  fields: readonly FieldSpec[];
  repository: Repository<T>;
  publisher: EventPublisher;
  /** \`source\`, \`tenantid\` and \`projectid\` of published events. */
  origin: EventOrigin;
  events: EntityEvents;
}

/** A strong ETag of an entity's stored form; \`If-Match\` compares against it. */
export function etagOf(entity: EntityRecord): string {
  return '"' + createHash('sha256').update(JSON.stringify(entity)).digest('base64url').slice(0, 22) + '"';
}

/**
 * Create, read, replace, delete and list one entity type: validates bodies, sets id and
 * timestamps, honours \`If-Match\` (409 when stale) and publishes the change's events after storing.
 */
export class EntityService<T extends EntityRecord> {
  constructor(private readonly options: EntityServiceOptions<T>) {}

  list(limit: number, after?: string): Promise<Page<T>> {
    return this.options.repository.list(limit, after);
  }

  async get(id: string): Promise<T> {
    if (!isUuid(id)) throw badRequest('The id is not a UUID.', [{ path: 'id', message: 'must be a UUID' }]);
    const entity = await this.options.repository.get(id);
    if (!entity) throw notFound('There is no ' + this.options.entity + ' ' + id + '.');
    return entity;
  }

  /** \`traceId\` (of the request) is carried by the published events; a new one when absent. */
  async create(body: unknown, traceId?: string): Promise<T> {
    const fields = this.validate(body);
    const now = new Date().toISOString();
    const entity = { id: randomUUID(), createdAt: now, updatedAt: now, ...fields } as unknown as T;
    if (!(await this.options.repository.create(entity))) throw new HttpProblem(409, 'Conflict', 'The id is already taken.');
    await this.publish('create', entity, traceId);
    return entity;
  }

  async update(id: string, body: unknown, ifMatch?: string, traceId?: string): Promise<T> {
    const current = await this.get(id);
    const fields = this.validate(body);
    this.checkPrecondition(current, ifMatch);
    const entity = { id: current.id, createdAt: current.createdAt, updatedAt: new Date().toISOString(), ...fields } as unknown as T;
    if (!(await this.options.repository.update(entity))) throw notFound('There is no ' + this.options.entity + ' ' + id + '.');
    await this.publish('update', entity, traceId);
    return entity;
  }

  async delete(id: string, ifMatch?: string, traceId?: string): Promise<void> {
    const current = await this.get(id);
    this.checkPrecondition(current, ifMatch);
    if (!(await this.options.repository.delete(current.id))) throw notFound('There is no ' + this.options.entity + ' ' + id + '.');
    await this.publish('delete', current, traceId);
  }

  private validate(body: unknown): Record<string, unknown> {
    const problems = checkFields(body, this.options.fields);
    if (problems.length > 0) throw badRequest('The ' + this.options.entity + ' is invalid.', problems);
    return pickFields(body, this.options.fields);
  }

  private checkPrecondition(current: T, ifMatch: string | undefined): void {
    if (ifMatch !== undefined && ifMatch !== '*' && ifMatch !== etagOf(current)) {
      throw new HttpProblem(409, 'Conflict', 'The ' + this.options.entity + ' changed since it was read (If-Match is stale); read it again.');
    }
  }

  private async publish(action: keyof EntityEvents, entity: T, traceId = traceIdOf(undefined)): Promise<void> {
    for (const type of this.options.events[action]) {
      await this.options.publisher.publish(toCloudEvent(this.options.origin, type, entity.id, entity, traceId));
    }
  }
}
`;
