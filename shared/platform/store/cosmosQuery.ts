import type { SqlParameter, SqlQuerySpec } from '@azure/cosmos';
import type { QuerySpec } from '../ports';
import { StoreRequestError, toFieldSegments, type PartitionValues } from './partition';

const PARTITION_FIELDS = ['tenantId', 'projectId'] as const;
const OPS = new Set(['=', '!=', '<', '<=', '>', '>=']);

/** `c["a"]["b"]`: bracket access, so that reserved words (`value`, `order`) work as field names. */
function toPropertyRef(field: string): string {
  return `c${toFieldSegments(field).map((s) => `["${s}"]`).join('')}`;
}

/**
 * A parameterized Cosmos DB SQL query (`@p0`, `@p1`, …) for one partition. The partition is also
 * filtered in the WHERE clause: redundant with the request's partition key in Azure, and what
 * makes the emulator keep the query inside the partition.
 */
export function toCosmosQuery(partition: PartitionValues, spec: QuerySpec): SqlQuerySpec {
  const parameters: SqlParameter[] = [];
  const bind = (value: string | number | boolean | null): string => {
    const name = `@p${parameters.length}`;
    parameters.push({ name, value });
    return name;
  };
  const conditions = partition.map((value, i) => `c.${PARTITION_FIELDS[i]} = ${bind(value)}`);
  for (const w of spec.where ?? []) {
    if (!OPS.has(w.op)) throw new StoreRequestError(`Unknown operator '${String(w.op)}'.`);
    conditions.push(`${toPropertyRef(w.field)} ${w.op} ${bind(w.value)}`);
  }
  let query = `SELECT * FROM c WHERE ${conditions.join(' AND ')}`;
  if (spec.orderBy) query += ` ORDER BY ${toPropertyRef(spec.orderBy.field)} ${spec.orderBy.direction === 'desc' ? 'DESC' : 'ASC'}`;
  return { query, parameters };
}
