import { CONTAINERS, type ContainerName } from '../catalog';
import type { PartitionKey, StoredDocument } from '../ports';

/** Partition key values in key-path order: `[tenantId]`, or `[tenantId, projectId]` for hierarchical containers. */
export type PartitionValues = [tenantId: string] | [tenantId: string, projectId: string];

/** A store call the adapter refuses before touching data: a missing partition key, a bad id, field path or limit. */
export class StoreRequestError extends Error {
  readonly code = 'BadRequest';
}

/** True when the container's partition key is `/tenantId` + `/projectId`. */
export function isHierarchical(container: ContainerName): boolean {
  const definition = CONTAINERS.find((c) => c.name === container);
  if (!definition) throw new StoreRequestError(`Unknown container '${String(container)}'.`);
  return definition.partitionKey.length === 2;
}

/** The partition of `key` in `container`; a hierarchical container requires `projectId`. */
export function toPartitionValues(container: ContainerName, key: PartitionKey): PartitionValues {
  if (typeof key?.tenantId !== 'string' || key.tenantId === '') {
    throw new StoreRequestError(`A tenantId is required for container '${container}'.`);
  }
  if (!isHierarchical(container)) return [key.tenantId];
  if (typeof key.projectId !== 'string' || key.projectId === '') {
    throw new StoreRequestError(`Container '${container}' is partitioned by /tenantId/projectId: projectId is required.`);
  }
  return [key.tenantId, key.projectId];
}

/** Checks that a document belongs to the partition a batch was given. */
export function assertInPartition(container: ContainerName, expected: PartitionValues, document: StoredDocument): void {
  const actual = toPartitionValues(container, document);
  if (actual.length !== expected.length || actual.some((v, i) => v !== expected[i])) {
    throw new StoreRequestError(`Document '${document.id}' is not in the batch partition [${expected.join(', ')}] of '${container}'.`);
  }
}

const FORBIDDEN_ID = /[/\\?#]/;

/** Ids follow Cosmos DB's rules everywhere, so a document valid locally is valid in Azure. */
export function assertDocumentId(id: unknown): asserts id is string {
  if (typeof id !== 'string' || id.length === 0 || id.length > 255 || FORBIDDEN_ID.test(id)) {
    throw new StoreRequestError(`Invalid document id ${JSON.stringify(id)}: 1–255 characters, none of / \\ ? #.`);
  }
}

const SEGMENT = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Splits a dotted field path of plain identifiers (`spec.owner`), rejecting anything else. */
export function toFieldSegments(field: string): string[] {
  const segments = field.split('.');
  if (!segments.every((s) => SEGMENT.test(s))) {
    throw new StoreRequestError(`Invalid field path '${field}': dotted identifiers only.`);
  }
  return segments;
}

/** Page size from a query spec: 1–1000, default 100. */
export function toPageSize(limit: number | undefined): number {
  const size = limit ?? 100;
  if (!Number.isInteger(size) || size < 1 || size > 1000) throw new StoreRequestError(`limit must be an integer 1–1000, got ${limit}.`);
  return size;
}
