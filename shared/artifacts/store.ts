import { Validation } from '../platform/http/errors';
import type { DocumentStore, Page, QuerySpec, Versioned } from '../platform/ports';
import { toDerivedId } from '../platform/store/documentId';
import { StoreRequestError } from '../platform/store/partition';
import type { Artifact, ArtifactDocument, ArtifactKind, ArtifactSeriesDocument } from './schemas';

const CONTAINER = 'artifacts';

/** Which project an artifact lives in: the partition of the `artifacts` container. */
export interface ProjectKey {
  tenantId: string;
  projectId: string;
}

/** Identifies a series: the versions of one named artifact within a project. */
export interface SeriesName {
  module?: string;
  kind: ArtifactKind;
  name: string;
}

/** The series document id of (module, kind, name). */
export function toSeriesId(series: SeriesName): string {
  return toDerivedId('series', series.module ?? '', series.kind, series.name);
}

/**
 * The artifact id of some content within a series. Deterministic, so concurrent stores of the same
 * content race on one create and the loser finds the winner's artifact.
 */
export function toArtifactId(series: SeriesName, contentHash: string): string {
  return toDerivedId('art', series.module ?? '', series.kind, series.name, contentHash);
}

/** The API view of a stored artifact. */
export function fromArtifactDocument(document: ArtifactDocument): Artifact {
  const { type: _type, seriesId: _series, _etag, ...artifact } = document as Versioned<ArtifactDocument>;
  return artifact;
}

/** Reads and queries of artifact documents in one project's partition. */
export class ArtifactRepository {
  constructor(readonly documents: DocumentStore) {}

  readonly container = CONTAINER;

  async read(key: ProjectKey, artifactId: string): Promise<Versioned<ArtifactDocument> | undefined> {
    const document = await this.documents.read<ArtifactDocument>(CONTAINER, key, artifactId);
    return document?.type === 'artifact' ? document : undefined;
  }

  async readSeries(key: ProjectKey, seriesId: string): Promise<Versioned<ArtifactSeriesDocument> | undefined> {
    const document = await this.documents.read<ArtifactSeriesDocument>(CONTAINER, key, seriesId);
    return document?.type === 'artifactSeries' ? document : undefined;
  }

  /** Artifacts matching every given field, oldest first. */
  async list(key: ProjectKey, filters: Record<string, string | undefined>, page: { limit: number; continuation?: string }): Promise<Page<Versioned<ArtifactDocument>>> {
    const where: NonNullable<QuerySpec['where']> = [{ field: 'type', op: '=', value: 'artifact' }];
    for (const [field, value] of Object.entries(filters)) if (value !== undefined) where.push({ field, op: '=', value });
    return this.query(key, { where, orderBy: { field: 'createdAt' }, ...page });
  }

  /** The versions of a series, first version first. */
  async versions(key: ProjectKey, seriesId: string, page: { limit: number; continuation?: string }): Promise<Page<Versioned<ArtifactDocument>>> {
    return this.query(key, {
      where: [{ field: 'type', op: '=', value: 'artifact' }, { field: 'seriesId', op: '=', value: seriesId }],
      orderBy: { field: 'version' },
      ...page,
    });
  }

  private async query(key: ProjectKey, spec: QuerySpec): Promise<Page<Versioned<ArtifactDocument>>> {
    try {
      return await this.documents.query<ArtifactDocument>(CONTAINER, key, spec);
    } catch (error) {
      // A token from another query (or tampered with) is the caller's mistake, not a 500.
      if (error instanceof StoreRequestError && spec.continuation) throw new Validation([{ path: 'continuation', message: 'invalid continuation token' }]);
      throw error;
    }
  }
}
