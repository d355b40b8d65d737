import { changeEvent, type ChangeContext, type EventOutbox } from '../platform/eventOutbox';
import { NotFound, PayloadTooLarge, PreconditionFailed, Validation } from '../platform/http/errors';
import { checkIfMatch } from '../platform/http/preconditions';
import { StoreConflict, type BatchOperation, type BlobStore, type DocumentStore, type Page } from '../platform/ports';
import { requireProject } from '../projects/lookup';
import type { Artifact, ArtifactDocument, ArtifactKind, ArtifactSeriesDocument, Lineage, LineageNode, ValidationUpdate } from './schemas';
import { ArtifactQuota, type ArtifactQuotaSource } from './quota';
import { ArtifactRepository, fromArtifactDocument, toArtifactId, toSeriesId, type ProjectKey } from './store';

/** Largest artifact content accepted (bytes). */
export const MAX_ARTIFACT_BYTES = 8 * 1024 * 1024;
/** Most artifacts a lineage answer holds. */
export const MAX_LINEAGE_NODES = 500;
const MAX_STORE_ATTEMPTS = 20;

/** New content and its metadata, as an agent, workflow or the HTTP route hands it over. */
export interface StoreArtifactInput extends ProjectKey {
  module?: string;
  kind: ArtifactKind;
  /** Relative path of the artifact, e.g. `src/service.ts`. */
  name: string;
  content: Buffer;
  contentType: string;
  workflowId?: string;
  originatingAgent?: string;
  skill?: string;
  /** Ids of the artifacts (same project) this one was derived from. */
  inputs: readonly string[];
}

/** Who stores (principal id or agent identity) and under which trace. */
export interface ArtifactChange extends ChangeContext {
  /** Recorded as `createdBy` / `validation.updatedBy`; defaults to the principal id. */
  actor?: string;
}

/** The outcome of a store: the artifact and whether this call created it (false: the content was already there). */
export interface StoredArtifact {
  artifact: Artifact;
  created: boolean;
}

export interface ArtifactServiceDeps {
  store: DocumentStore;
  blobs: BlobStore;
  outbox: EventOutbox;
  clock?: () => Date;
  /** The edition's `maxArtifactsPerProject` of a tenant; no quota when absent. */
  maxArtifacts?: ArtifactQuotaSource;
}

/**
 * Artifacts of a project: content in the content-addressed blob port, metadata in the `artifacts`
 * container, one version per distinct content of each (module, kind, name). Storing content that is
 * already there returns the existing artifact, also under concurrent calls, so redelivered agent
 * results are harmless. Every new artifact and validation change emits its event via the outbox.
 */
export class ArtifactService {
  private readonly repository: ArtifactRepository;
  private readonly quota: ArtifactQuota;
  private readonly now: () => Date;

  constructor(private readonly deps: ArtifactServiceDeps) {
    this.repository = new ArtifactRepository(deps.store);
    this.quota = new ArtifactQuota(deps.store, deps.maxArtifacts);
    this.now = deps.clock ?? (() => new Date());
  }

  /**
   * Stores content as the next version of its series, or returns the artifact that already has it
   * (also when the quota is used up). A new artifact beyond the edition's `maxArtifactsPerProject`
   * answers 429 `ArtifactQuotaExceeded`.
   */
  async store(input: StoreArtifactInput, change: ArtifactChange): Promise<StoredArtifact> {
    await requireProject(this.deps.store, input.tenantId, input.projectId);
    if (input.content.length > MAX_ARTIFACT_BYTES) throw new PayloadTooLarge(MAX_ARTIFACT_BYTES, 'ArtifactTooLarge');
    const key = { tenantId: input.tenantId, projectId: input.projectId };
    const blob = await this.deps.blobs.put(input.content, input.contentType);
    const artifactId = toArtifactId(input, blob.contentHash);

    const existing = await this.repository.read(key, artifactId);
    if (existing) return { artifact: fromArtifactDocument(existing), created: false };
    await this.requireInputs(key, input.inputs);

    const seriesId = toSeriesId(input);
    for (let attempt = 0; attempt < MAX_STORE_ATTEMPTS; attempt++) {
      const series = await this.repository.readSeries(key, seriesId);
      const createdAt = this.now().toISOString();
      const document: ArtifactDocument = {
        id: artifactId,
        tenantId: key.tenantId,
        projectId: key.projectId,
        type: 'artifact',
        seriesId,
        ...(input.module !== undefined ? { module: input.module } : {}),
        kind: input.kind,
        name: input.name,
        version: (series?.latestVersion ?? 0) + 1,
        contentHash: blob.contentHash,
        size: blob.size,
        contentType: input.contentType,
        traceId: change.traceId,
        ...(input.workflowId !== undefined ? { workflowId: input.workflowId } : {}),
        ...(input.originatingAgent !== undefined ? { originatingAgent: input.originatingAgent } : {}),
        ...(input.skill !== undefined ? { skill: input.skill } : {}),
        inputs: [...new Set(input.inputs)],
        validation: { status: 'pending', findings: [], updatedAt: createdAt, updatedBy: actorOf(change) },
        createdAt,
        createdBy: actorOf(change),
      };
      try {
        const counter = await this.quota.reserve(key, createdAt);
        await this.commitNew(document, series, counter, change);
        return { artifact: fromArtifactDocument(document), created: true };
      } catch (error) {
        if (!(error instanceof StoreConflict)) throw error;
        // Either a twin call stored the same content (return it) or another version moved the series on (retry).
        const winner = await this.repository.read(key, artifactId);
        if (winner) return { artifact: fromArtifactDocument(winner), created: false };
        // Jittered, so stores racing on the project's counter spread out instead of colliding again.
        await new Promise((resolve) => setTimeout(resolve, Math.random() * Math.min(2 ** attempt, 50)));
      }
    }
    throw new Error(`Could not store artifact ${input.name} in ${key.tenantId}/${key.projectId}: too much contention on its series.`);
  }

  /** The artifact's metadata, or 404. */
  async get(key: ProjectKey, artifactId: string): Promise<Artifact> {
    return fromArtifactDocument(await this.require(key, artifactId));
  }

  /** The artifact with the ETag of its record (for `ETag` / `If-Match`). */
  async getVersioned(key: ProjectKey, artifactId: string): Promise<{ artifact: Artifact; etag: string }> {
    const document = await this.require(key, artifactId);
    return { artifact: fromArtifactDocument(document), etag: document._etag };
  }

  /** The artifact's metadata and its bytes. */
  async content(key: ProjectKey, artifactId: string): Promise<{ artifact: Artifact; content: Buffer }> {
    const artifact = await this.get(key, artifactId);
    const content = await this.deps.blobs.get(artifact.contentHash);
    if (!content) throw new Error(`Blob ${artifact.contentHash} of artifact ${artifactId} is missing.`);
    return { artifact, content };
  }

  /** The project's artifacts matching the filters, oldest first. */
  async list(key: ProjectKey, filters: { module?: string; kind?: ArtifactKind; workflowId?: string }, page: { limit: number; continuation?: string }): Promise<Page<Artifact>> {
    await requireProject(this.deps.store, key.tenantId, key.projectId);
    return toArtifactPage(await this.repository.list(key, filters, page));
  }

  /** Every version of the artifact's series, first version first. */
  async versions(key: ProjectKey, artifactId: string, page: { limit: number; continuation?: string }): Promise<Page<Artifact>> {
    const artifact = await this.require(key, artifactId);
    return toArtifactPage(await this.repository.versions(key, artifact.seriesId, page));
  }

  /** The artifacts reachable through `inputs` up to `depth` hops, breadth first; edges run input → derived. */
  async lineage(key: ProjectKey, artifactId: string, depth: number): Promise<Lineage> {
    const root = await this.require(key, artifactId);
    const nodes = new Map<string, LineageNode>([[root.id, toLineageNode(root, 0)]]);
    const edges: Lineage['edges'] = [];
    let frontier: ArtifactDocument[] = [root];
    let truncated = false;
    for (let level = 1; frontier.length > 0; level++) {
      const pending = frontier.flatMap((artifact) => artifact.inputs.map((input) => ({ from: input, to: artifact.id })));
      const unseen = [...new Set(pending.map((edge) => edge.from))].filter((id) => !nodes.has(id));
      const fetchable = level <= depth ? unseen.slice(0, Math.max(MAX_LINEAGE_NODES - nodes.size, 0)) : [];
      if (fetchable.length < unseen.length) truncated = true;
      const found = (await Promise.all(fetchable.map((id) => this.repository.read(key, id)))).filter((d) => d !== undefined);
      for (const document of found) nodes.set(document.id, toLineageNode(document, level));
      edges.push(...pending.filter((edge) => nodes.has(edge.from)));
      frontier = found;
    }
    return { root: root.id, nodes: [...nodes.values()], edges, truncated };
  }

  /**
   * Records a validator's verdict on an artifact and emits `ArtifactValidated.v1`. With `ifMatch`
   * (the ETag of `GET`) a stale or concurrently changed record answers 412 instead of being retried.
   */
  async recordValidation(key: ProjectKey, artifactId: string, update: ValidationUpdate, change: ArtifactChange, ifMatch?: string[]): Promise<Artifact> {
    for (let attempt = 0; attempt < MAX_STORE_ATTEMPTS; attempt++) {
      const current = await this.require(key, artifactId);
      const { _etag, ...document } = current;
      if (attempt > 0 && ifMatch && !ifMatch.includes('*')) throw new PreconditionFailed(`Artifact '${artifactId}' changed since the version named in If-Match; read it again and retry.`);
      checkIfMatch(ifMatch, _etag, `Artifact '${artifactId}'`);
      const next: ArtifactDocument = { ...document, validation: { ...update, updatedAt: this.now().toISOString(), updatedBy: actorOf(change) } };
      const event = changeEvent('ArtifactValidated.v1', { artifactId, kind: next.kind, version: next.version, status: update.status, findings: update.findings.length }, change, {
        ...key,
        subject: `artifacts/${artifactId}`,
        ...(next.workflowId ? { workflowId: next.workflowId } : {}),
      });
      try {
        await this.deps.outbox.commit('artifacts', key, [{ op: 'replace', document: next, ifMatch: _etag }], [event]);
        return fromArtifactDocument(next);
      } catch (error) {
        if (!(error instanceof StoreConflict)) throw error;
      }
    }
    throw new Error(`Could not record the validation of artifact ${artifactId}: too much contention.`);
  }

  private async require(key: ProjectKey, artifactId: string) {
    await requireProject(this.deps.store, key.tenantId, key.projectId);
    const artifact = await this.repository.read(key, artifactId);
    if (!artifact) throw new NotFound(`Artifact '${artifactId}' was not found.`);
    return artifact;
  }

  private async requireInputs(key: ProjectKey, inputs: readonly string[]): Promise<void> {
    const found = await Promise.all(inputs.map((id) => this.repository.read(key, id)));
    const errors = inputs.flatMap((id, index) => (found[index] ? [] : [{ path: `inputs[${index}]`, message: `no artifact '${id}' in this project` }]));
    if (errors.length > 0) throw new Validation(errors, 'Some inputs are not artifacts of this project.', 'UnknownInputArtifact');
  }

  private async commitNew(document: ArtifactDocument, series: (ArtifactSeriesDocument & { _etag: string }) | undefined, counter: BatchOperation | undefined, change: ArtifactChange): Promise<void> {
    const nextSeries: ArtifactSeriesDocument = {
      id: document.seriesId,
      tenantId: document.tenantId,
      projectId: document.projectId,
      type: 'artifactSeries',
      ...(document.module !== undefined ? { module: document.module } : {}),
      kind: document.kind,
      name: document.name,
      latestVersion: document.version,
      latestArtifactId: document.id,
      updatedAt: document.createdAt,
    };
    const operations: BatchOperation[] = [
      { op: 'create', document },
      series ? { op: 'replace', document: nextSeries, ifMatch: series._etag } : { op: 'create', document: nextSeries },
      ...(counter ? [counter] : []),
    ];
    const event = changeEvent(
      'ArtifactStored.v1',
      { artifactId: document.id, kind: document.kind, contentHash: document.contentHash, size: document.size, contentType: document.contentType },
      change,
      {
        tenantId: document.tenantId,
        projectId: document.projectId,
        subject: `artifacts/${document.id}`,
        ...(document.workflowId ? { workflowId: document.workflowId } : {}),
        ...(document.originatingAgent ? { agentId: document.originatingAgent } : {}),
      },
    );
    await this.deps.outbox.commit('artifacts', { tenantId: document.tenantId, projectId: document.projectId }, operations, [event]);
  }
}

function actorOf(change: ArtifactChange): string {
  return change.actor ?? change.principal?.id ?? 'system';
}

function toArtifactPage(page: Page<ArtifactDocument>): Page<Artifact> {
  return { items: page.items.map(fromArtifactDocument), ...(page.continuation ? { continuation: page.continuation } : {}) };
}

function toLineageNode(document: ArtifactDocument, depth: number): LineageNode {
  return {
    id: document.id,
    ...(document.module !== undefined ? { module: document.module } : {}),
    kind: document.kind,
    name: document.name,
    version: document.version,
    contentHash: document.contentHash,
    ...(document.originatingAgent !== undefined ? { originatingAgent: document.originatingAgent } : {}),
    ...(document.skill !== undefined ? { skill: document.skill } : {}),
    validation: document.validation.status,
    depth,
  };
}
