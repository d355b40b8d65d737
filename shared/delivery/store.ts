import type { DocumentStore, Page, QuerySpec, StoredDocument, Versioned } from '../platform/ports';
import { DELIVERY_CONTAINER, type DeploymentDocument, type DesiredStateDocument, type DriftFindingDocument, type EnvironmentDocument, type PromotionDocument, type ReleaseDocument } from './schemas';

/** Partition of the platform-wide index of deployed environments (what the drift timer scans). */
export const ENVIRONMENT_INDEX_KEY = { tenantId: '_platform', projectId: '_environments' } as const;

export interface EnvironmentIndexDocument extends StoredDocument {
  type: 'environmentIndex';
  target: { tenantId: string; projectId: string; environment: string };
}

export const toEnvironmentId = (name: string) => `environment:${name}`;
export const toPromotionId = (releaseId: string, environment: string) => `promotion:${releaseId}:${environment}`;
export const toDesiredId = (environment: string) => `desired:${environment}`;
export const toDeploymentId = (environment: string, module: string, releaseId: string, kind: string) => `deployment:${environment}:${module}:${releaseId}:${kind}`;
export const toFindingDocumentId = (environment: string, findingId: string) => `drift:${environment}:${findingId}`;

type Key = { tenantId: string; projectId: string };

/** The delivery context's documents in container `delivery` (partition tenant + project). */
export class DeliveryStore {
  constructor(readonly store: DocumentStore) {}

  private async typed<T extends StoredDocument>(key: Key, id: string, type: T['type']): Promise<Versioned<T> | undefined> {
    const doc = await this.store.read<T>(DELIVERY_CONTAINER, key, id);
    return doc && doc.type === type ? doc : undefined;
  }

  private query<T extends StoredDocument>(key: Key, type: string, spec: QuerySpec = {}): Promise<Page<Versioned<T>>> {
    return this.store.query<T>(DELIVERY_CONTAINER, key, { ...spec, where: [{ field: 'type', op: '=', value: type }, ...(spec.where ?? [])] });
  }

  environment = (key: Key, name: string) => this.typed<EnvironmentDocument>(key, toEnvironmentId(name), 'environment');
  release = (key: Key, releaseId: string) => this.typed<ReleaseDocument>(key, releaseId, 'release');
  promotion = (key: Key, releaseId: string, environment: string) => this.typed<PromotionDocument>(key, toPromotionId(releaseId, environment), 'promotion');
  desired = (key: Key, environment: string) => this.typed<DesiredStateDocument>(key, toDesiredId(environment), 'desiredState');
  finding = (key: Key, environment: string, findingId: string) => this.typed<DriftFindingDocument>(key, toFindingDocumentId(environment, findingId), 'driftFinding');

  releases = (key: Key, page: { limit: number; continuation?: string }) => this.query<ReleaseDocument>(key, 'release', { orderBy: { field: 'createdAt', direction: 'desc' }, ...page });
  promotionsOf = (key: Key, releaseId: string) => this.query<PromotionDocument>(key, 'promotion', { where: [{ field: 'releaseId', op: '=', value: releaseId }], orderBy: { field: 'startedAt', direction: 'asc' }, limit: 20 });
  promotionsIn = (key: Key, environment: string, page: { limit: number; continuation?: string }) =>
    this.query<PromotionDocument>(key, 'promotion', { where: [{ field: 'environment', op: '=', value: environment }], orderBy: { field: 'startedAt', direction: 'desc' }, ...page });
  deployments = (key: Key, environment: string, page: { limit: number; continuation?: string }, module?: string) =>
    this.query<DeploymentDocument>(key, 'deployment', {
      where: [{ field: 'environment', op: '=', value: environment }, ...(module ? [{ field: 'module', op: '=' as const, value: module }] : [])],
      orderBy: { field: 'finishedAt', direction: 'desc' },
      ...page,
    });
  findings = (key: Key, environment: string | undefined, status: 'open' | 'resolved' | undefined, page: { limit: number; continuation?: string }) =>
    this.query<DriftFindingDocument>(key, 'driftFinding', {
      where: [...(environment ? [{ field: 'environment', op: '=' as const, value: environment }] : []), ...(status ? [{ field: 'status', op: '=' as const, value: status }] : [])],
      orderBy: { field: 'detectedAt', direction: 'desc' },
      ...page,
    });

  /** Adds an environment to the platform index the drift timer walks (idempotent). */
  async index(target: { tenantId: string; projectId: string; environment: string }): Promise<void> {
    await this.store.upsert<EnvironmentIndexDocument>(DELIVERY_CONTAINER, { id: `${target.tenantId}~${target.projectId}~${target.environment}`, ...ENVIRONMENT_INDEX_KEY, type: 'environmentIndex', target });
  }

  /** Every indexed environment, page by page. */
  indexed = (page: { limit: number; continuation?: string }) => this.query<EnvironmentIndexDocument>(ENVIRONMENT_INDEX_KEY, 'environmentIndex', page);
}
