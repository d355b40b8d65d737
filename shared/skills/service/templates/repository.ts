/** `src/repository.ts` of a generated service: the storage port and its in-memory adapter. */
export const REPOSITORY_TS = `/** What every stored entity has. */
export interface EntityRecord {
  id: string;
  createdAt: string;
  updatedAt: string;
}

/** One page of a listing; \`after\` is the id to continue after, absent on the last page. */
export interface Page<T> {
  items: T[];
  after?: string;
}

/**
 * Storage of one entity type. Listing is ordered by id, so a page boundary (\`after\`) stays valid
 * while entities are added or removed.
 */
export interface Repository<T extends EntityRecord> {
  list(limit: number, after?: string): Promise<Page<T>>;
  get(id: string): Promise<T | undefined>;
  /** Stores a new entity; false when the id is taken. */
  create(entity: T): Promise<boolean>;
  /** Replaces an existing entity; false when there is none with that id. */
  update(entity: T): Promise<boolean>;
  /** Removes an entity; false when there was none. */
  delete(id: string): Promise<boolean>;
}

/** A \`Repository\` in process memory: for tests and single-replica development. */
export class InMemoryRepository<T extends EntityRecord> implements Repository<T> {
  private readonly entities = new Map<string, T>();

  async list(limit: number, after?: string): Promise<Page<T>> {
    const ids = [...this.entities.keys()].filter((id) => after === undefined || id > after).sort();
    const items = ids.slice(0, limit).map((id) => this.copy(this.entities.get(id) as T));
    return ids.length > limit ? { items, after: items[items.length - 1].id } : { items };
  }

  async get(id: string): Promise<T | undefined> {
    const entity = this.entities.get(id);
    return entity && this.copy(entity);
  }

  async create(entity: T): Promise<boolean> {
    if (this.entities.has(entity.id)) return false;
    this.entities.set(entity.id, this.copy(entity));
    return true;
  }

  async update(entity: T): Promise<boolean> {
    if (!this.entities.has(entity.id)) return false;
    this.entities.set(entity.id, this.copy(entity));
    return true;
  }

  async delete(id: string): Promise<boolean> {
    return this.entities.delete(id);
  }

  private copy(entity: T): T {
    return JSON.parse(JSON.stringify(entity)) as T;
  }
}
`;
