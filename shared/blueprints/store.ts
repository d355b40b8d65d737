import type { DocumentStore, Page, StoredDocument, Versioned } from '../platform/ports';
import type { Problem } from './problems';
import type { Blueprint, ModuleKind } from './schemas';
import type { BlueprintFormat } from './source';

/** Container of blueprint versions; partition `{ tenantId, projectId }`. */
export const BLUEPRINTS_CONTAINER = 'blueprints';
/** The id of a project's head document (its version counter). */
export const BLUEPRINT_HEAD_ID = 'blueprintHead';

/** Which project a blueprint belongs to: the partition of the `blueprints` container. */
export interface ProjectKey {
  tenantId: string;
  projectId: string;
}

/** A module as other contexts read it from a version (projects shows these). */
export interface BlueprintModuleSummary {
  name: string;
  kind: ModuleKind;
  dependsOn: string[];
}

/**
 * One immutable, valid blueprint version. The projects context reads `type`, `version`, `status`
 * and `modules`; keep their names and shapes.
 */
export interface BlueprintVersionDocument extends StoredDocument {
  type: 'blueprintVersion';
  projectId: string;
  version: number;
  status: 'valid';
  /** sha256 of the canonical JSON of `blueprint`: the version's identity. */
  contentHash: string;
  /** `metadata.name` of the blueprint. */
  name: string;
  /** How the first submission of this content was written. */
  format: BlueprintFormat;
  modules: BlueprintModuleSummary[];
  /** The normalized blueprint (field types parsed, omitted lists present). */
  blueprint: Blueprint;
  submittedAt: string;
  submittedBy: string;
  traceId: string;
}

/**
 * A project's version counter; moves with `ifMatch` in the batch that adds a version, so it always
 * names the latest (valid) version. The projects context reads `latestVersion` and `latestModules`
 * on every project read (one point read instead of a query); keep their names and shapes.
 */
export interface BlueprintHeadDocument extends StoredDocument {
  type: 'blueprintHead';
  latestVersion: number;
  latestContentHash: string;
  /** The modules of `latestVersion`; absent on heads written before it was kept here. */
  latestModules?: BlueprintModuleSummary[];
  updatedAt: string;
}

/** Index from content to version, so "already submitted?" is a point read; created with the version. */
export interface BlueprintContentDocument extends StoredDocument {
  type: 'blueprintContent';
  contentHash: string;
  version: number;
}

/** The record of a refused submission, committed with its `BlueprintRejected.v1` event. */
export interface BlueprintRejectionDocument extends StoredDocument {
  type: 'blueprintRejection';
  format: BlueprintFormat;
  /** sha256 of the submitted bytes (a rejected text has no canonical form). */
  textHash: string;
  errorCount: number;
  /** The first problems, at most `MAX_RECORDED_PROBLEMS`. */
  errors: Problem[];
  submittedAt: string;
  submittedBy: string;
  traceId: string;
}

export function toVersionId(version: number): string {
  return `version-${version}`;
}

export function toContentId(contentHash: string): string {
  return `content-${contentHash}`;
}

/** Reads of a project's blueprint documents; writes go through the outbox in the service. */
export class BlueprintRepository {
  constructor(private readonly store: DocumentStore) {}

  async readVersion(key: ProjectKey, version: number): Promise<Versioned<BlueprintVersionDocument> | undefined> {
    const document = await this.store.read<BlueprintVersionDocument>(BLUEPRINTS_CONTAINER, key, toVersionId(version));
    return document?.type === 'blueprintVersion' ? document : undefined;
  }

  async readHead(key: ProjectKey): Promise<Versioned<BlueprintHeadDocument> | undefined> {
    const document = await this.store.read<BlueprintHeadDocument>(BLUEPRINTS_CONTAINER, key, BLUEPRINT_HEAD_ID);
    return document?.type === 'blueprintHead' ? document : undefined;
  }

  /** The version holding this content, if it was submitted before. */
  async readByContent(key: ProjectKey, contentHash: string): Promise<Versioned<BlueprintVersionDocument> | undefined> {
    const index = await this.store.read<BlueprintContentDocument>(BLUEPRINTS_CONTAINER, key, toContentId(contentHash));
    return index?.type === 'blueprintContent' ? this.readVersion(key, index.version) : undefined;
  }

  /** Versions, newest first. A continuation token the store refuses is a 400 at `query.continuation`. */
  async listVersions(key: ProjectKey, page: { limit: number; continuation?: string }): Promise<Page<Versioned<BlueprintVersionDocument>>> {
    return this.store.query<BlueprintVersionDocument>(BLUEPRINTS_CONTAINER, key, {
        where: [{ field: 'type', op: '=', value: 'blueprintVersion' }],
        orderBy: { field: 'version', direction: 'desc' },
        limit: page.limit,
        continuation: page.continuation,
      });
  }
}
