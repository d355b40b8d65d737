import { createHash, randomUUID } from 'node:crypto';
import type { ChangeContext, EventOutbox } from '../platform/eventOutbox';
import { Conflict, NotFound, QuotaExceeded } from '../platform/http/errors';
import { StoreConflict, type BatchOperation, type DocumentStore, type Page } from '../platform/ports';
import { requireProject } from '../projects/lookup';
import { diffBlueprints, hasChanges, touchedModules, type BlueprintDiff } from './diff';
import { toBlueprintRejected, toVersionEvents } from './events';
import { formatFieldType } from './fieldTypes';
import { parseBlueprint, type BlueprintParseResult } from './parse';
import type { Problem } from './problems';
import type { Blueprint, BlueprintDocument } from './schemas';
import { fromModuleEvents } from './emits';
import {
  BLUEPRINT_HEAD_ID,
  BLUEPRINTS_CONTAINER,
  BlueprintRepository,
  toContentId,
  toVersionId,
  type BlueprintContentDocument,
  type BlueprintHeadDocument,
  type BlueprintRejectionDocument,
  type BlueprintVersionDocument,
  type ProjectKey,
} from './store';

/** Most problems a rejection record and its event keep (the 422 answer lists them all). */
export const MAX_RECORDED_PROBLEMS = 100;
/** Concurrent submissions race for the head's ETag; each lost race re-reads it, this many times at most. */
const MAX_SUBMIT_ATTEMPTS = 20;

/** A version's metadata, without the blueprint itself. */
export type BlueprintVersionSummary = Omit<BlueprintVersionDocument, 'id' | 'tenantId' | 'type' | 'blueprint' | 'traceId' | '_etag'>;
/** A version's metadata and its normalized blueprint. */
export type BlueprintVersionView = BlueprintVersionSummary & { blueprint: Blueprint };

/** What a submission came to: a new version, the version that already has this content, or a rejection. */
export type SubmissionOutcome =
  | { kind: 'created'; version: BlueprintVersionSummary }
  | { kind: 'existing'; version: BlueprintVersionSummary }
  | { kind: 'rejected'; rejectionId: string; problems: Problem[] };

/** What a validate-only check came to: the summary a submit would store, or every problem. */
export type ValidationOutcome =
  | { valid: true; format: 'yaml' | 'json'; contentHash: string; name: string; modules: BlueprintVersionSummary['modules']; existingVersion?: number }
  | { valid: false; format: BlueprintRejectionDocument['format']; problems: Problem[] };

/** The structured difference between two versions and the modules it touches. */
export interface BlueprintVersionDiff {
  from: number;
  to: number;
  changed: boolean;
  touchedModules: string[];
  diff: BlueprintDiff;
}

/**
 * Sets a project's monthly budget (USD) from an accepted blueprint's `cost.monthlyBudgetUsd`; the
 * costs context's `BudgetService.set` in production. Idempotent: setting the current value writes nothing.
 */
export type ApplyBudget = (key: ProjectKey, monthlyBudgetUsd: number, change: ChangeContext) => Promise<void>;

export interface BlueprintServiceDeps {
  store: DocumentStore;
  outbox: EventOutbox;
  /** Applies `cost.monthlyBudgetUsd` when a blueprint is accepted (new or already stored). */
  applyBudget?: ApplyBudget;
  /** Most versions a project may keep (the edition's quota); no limit when absent. */
  maxVersions?: (tenantId: string) => Promise<{ limit: number; edition: string }>;
  now?: () => Date;
}

/**
 * Blueprint versions of a project: every valid submission of new content becomes the next
 * immutable version (1, 2, …); content already submitted returns its version; an invalid submission
 * is refused with every problem and recorded. Each outcome that changes state commits its events
 * through the outbox in the same partition batch.
 */
export class BlueprintService {
  private readonly repository: BlueprintRepository;
  private readonly now: () => Date;

  constructor(private readonly deps: BlueprintServiceDeps) {
    this.repository = new BlueprintRepository(deps.store);
    this.now = deps.now ?? (() => new Date());
  }

  /** Parses, validates and stores blueprint text (YAML or JSON; `contentType` decides when it names one). */
  async submit(key: ProjectKey, text: string, contentType: string | undefined, change: ChangeContext & { principal: { id: string } }): Promise<SubmissionOutcome> {
    await requireProject(this.deps.store, key.tenantId, key.projectId);
    const parsed = parseBlueprint(text, contentType);
    if (!parsed.ok) return this.reject(key, text, parsed.format, parsed.problems, change);

    const outcome = await this.store(key, parsed, change);
    const budget = parsed.blueprint.spec.cost?.monthlyBudgetUsd;
    if (budget !== undefined && this.deps.applyBudget) await this.deps.applyBudget(key, budget, change);
    return outcome;
  }

  private async store(key: ProjectKey, parsed: Extract<BlueprintParseResult, { ok: true }>, change: ChangeContext & { principal: { id: string } }): Promise<SubmissionOutcome> {
    for (let attempt = 0; attempt < MAX_SUBMIT_ATTEMPTS; attempt++) {
      const existing = await this.repository.readByContent(key, parsed.contentHash);
      if (existing) return { kind: 'existing', version: toVersionSummary(existing) };
      const head = await this.repository.readHead(key);
      await this.checkVersionQuota(key, head?.latestVersion ?? 0);
      const at = this.now().toISOString();
      const version: BlueprintVersionDocument = {
        id: toVersionId((head?.latestVersion ?? 0) + 1),
        tenantId: key.tenantId,
        projectId: key.projectId,
        type: 'blueprintVersion',
        version: (head?.latestVersion ?? 0) + 1,
        status: 'valid',
        contentHash: parsed.contentHash,
        name: parsed.blueprint.metadata.name,
        format: parsed.format,
        modules: parsed.blueprint.spec.modules.map(({ name, kind, dependsOn }) => ({ name, kind, dependsOn: [...dependsOn] })),
        blueprint: parsed.blueprint,
        submittedAt: at,
        submittedBy: change.principal.id,
        traceId: change.traceId,
      };
      const nextHead: BlueprintHeadDocument = { id: BLUEPRINT_HEAD_ID, ...key, type: 'blueprintHead', latestVersion: version.version, latestContentHash: version.contentHash, latestModules: version.modules, updatedAt: at };
      const content: BlueprintContentDocument = { id: toContentId(version.contentHash), ...key, type: 'blueprintContent', contentHash: version.contentHash, version: version.version };
      const operations: BatchOperation[] = [
        { op: 'create', document: version },
        { op: 'create', document: content },
        head ? { op: 'replace', document: nextHead, ifMatch: head._etag } : { op: 'create', document: nextHead },
      ];
      try {
        await this.deps.outbox.commit(BLUEPRINTS_CONTAINER, key, operations, toVersionEvents(version, change));
        return { kind: 'created', version: toVersionSummary(version) };
      } catch (error) {
        // Another submission took this number (retry with the next) or stored the same content (found above).
        if (!(error instanceof StoreConflict)) throw error;
        await new Promise((resolve) => setTimeout(resolve, Math.min(2 ** attempt, 50)));
      }
    }
    throw new Conflict('Too many concurrent blueprint submissions to this project; retry.');
  }

  /**
   * Checks blueprint text exactly as `submit` does, without storing or recording anything: the
   * normalized summary and the version that already holds this content, or every problem.
   */
  async validate(key: ProjectKey, text: string, contentType: string | undefined): Promise<ValidationOutcome> {
    await requireProject(this.deps.store, key.tenantId, key.projectId);
    const parsed = parseBlueprint(text, contentType);
    if (!parsed.ok) return { valid: false, format: parsed.format, problems: parsed.problems };
    const existing = await this.repository.readByContent(key, parsed.contentHash);
    const { blueprint } = parsed;
    return {
      valid: true,
      format: parsed.format,
      contentHash: parsed.contentHash,
      name: blueprint.metadata.name,
      modules: blueprint.spec.modules.map(({ name, kind, dependsOn }) => ({ name, kind, dependsOn: [...dependsOn] })),
      ...(existing ? { existingVersion: existing.version } : {}),
    };
  }

  private async checkVersionQuota(key: ProjectKey, versions: number): Promise<void> {
    if (!this.deps.maxVersions) return;
    const { limit, edition } = await this.deps.maxVersions(key.tenantId);
    if (versions >= limit) {
      throw new QuotaExceeded(`The ${edition} edition keeps ${limit} blueprint versions per project; project '${key.projectId}' has ${versions}.`, { code: 'BlueprintVersionQuotaExceeded' });
    }
  }

  /** The project's versions, newest first. */
  async list(key: ProjectKey, page: { limit: number; continuation?: string }): Promise<Page<BlueprintVersionSummary>> {
    await requireProject(this.deps.store, key.tenantId, key.projectId);
    const result = await this.repository.listVersions(key, page);
    return { items: result.items.map(toVersionSummary), ...(result.continuation ? { continuation: result.continuation } : {}) };
  }

  /** One version with its normalized blueprint, or 404. */
  async get(key: ProjectKey, version: number): Promise<BlueprintVersionView> {
    await requireProject(this.deps.store, key.tenantId, key.projectId);
    const document = await this.require(key, version);
    return { ...toVersionSummary(document), blueprint: document.blueprint };
  }

  /** What changed from one version to another, and which modules must be regenerated. */
  async diff(key: ProjectKey, from: number, to: number): Promise<BlueprintVersionDiff> {
    await requireProject(this.deps.store, key.tenantId, key.projectId);
    const [before, after] = await Promise.all([this.require(key, from), this.require(key, to)]);
    const diff = diffBlueprints(before.blueprint, after.blueprint);
    return { from, to, changed: hasChanges(diff), touchedModules: touchedModules(diff), diff };
  }

  private async require(key: ProjectKey, version: number): Promise<BlueprintVersionDocument> {
    const document = await this.repository.readVersion(key, version);
    if (!document) throw new NotFound(`Blueprint version ${version} of project '${key.projectId}' was not found.`, 'BlueprintVersionNotFound');
    return document;
  }

  /** Records the refusal (the problems, the submitter, a hash of the text) with `BlueprintRejected.v1`. */
  private async reject(key: ProjectKey, text: string, format: BlueprintRejectionDocument['format'], problems: Problem[], change: ChangeContext & { principal: { id: string } }): Promise<SubmissionOutcome> {
    const rejection: BlueprintRejectionDocument & ProjectKey = {
      id: `rejection-${randomUUID()}`,
      ...key,
      type: 'blueprintRejection',
      format,
      textHash: createHash('sha256').update(text, 'utf8').digest('hex'),
      errorCount: problems.length,
      errors: problems.slice(0, MAX_RECORDED_PROBLEMS),
      submittedAt: this.now().toISOString(),
      submittedBy: change.principal.id,
      traceId: change.traceId,
    };
    await this.deps.outbox.commit(BLUEPRINTS_CONTAINER, key, [{ op: 'create', document: rejection }], [toBlueprintRejected(rejection, change)]);
    return { kind: 'rejected', rejectionId: rejection.id, problems };
  }
}

/** The API view of a stored version, without its blueprint. */
export function toVersionSummary(document: BlueprintVersionDocument): BlueprintVersionSummary {
  const { version, status, contentHash, name, format, modules, submittedAt, submittedBy, projectId } = document;
  return { projectId, version, status, contentHash, name, format, modules, submittedAt, submittedBy };
}

/**
 * A normalized blueprint written back in the form a user writes (field types as `string?`,
 * `{ enum: [...] }`, …). Reading it again gives the same blueprint and the same contentHash.
 */
export function toBlueprintDocument(blueprint: Blueprint): BlueprintDocument {
  return {
    ...blueprint,
    spec: {
      ...blueprint.spec,
      modules: blueprint.spec.modules.map((module) => ({
        ...module,
        events: fromModuleEvents(module.events),
        entities: module.entities.map((entity) => ({
          ...entity,
          fields: Object.fromEntries(Object.entries(entity.fields).map(([name, type]) => [name, formatFieldType(type)])),
        })),
      })),
    },
  };
}
