import { InvalidContinuation } from '../ports';
import type { FilterOp, QuerySpec } from '../ports';
import { StoreRequestError, toFieldSegments, toPageSize } from './partition';

/** SQL fragments for one page of a single-partition query over `store_documents`. */
export interface SqliteQueryPlan {
  /** Conditions after the partition columns, joined with AND (may be empty). */
  conditions: string[];
  params: unknown[];
  orderBy: string;
  /** Expressions selected as the page's sort key, last one is always `id`. */
  sortKey: string[];
  /** Rows to fetch: one more than the page size, to know whether a next page exists. */
  fetch: number;
  pageSize: number;
}

const OPS: Record<FilterOp, string> = { '=': '=', '!=': '!=', '<': '<', '<=': '<=', '>': '>', '>=': '>=' };

/** A JSON path literal for SQLite; segments are plain identifiers, so it is safe to inline. */
function jsonPath(field: string): string {
  return `'$.${toFieldSegments(field).join('.')}'`;
}

/** Cosmos DB's order of types: undefined < null < boolean < number < string < array < object. */
function typeRank(path: string): string {
  return (
    `CASE json_type(body, ${path}) WHEN 'null' THEN 1 WHEN 'false' THEN 2 WHEN 'true' THEN 2 ` +
    `WHEN 'integer' THEN 3 WHEN 'real' THEN 3 WHEN 'text' THEN 4 WHEN 'array' THEN 5 WHEN 'object' THEN 6 ELSE 0 END`
  );
}

function scalarValue(path: string): string {
  return `CASE WHEN json_type(body, ${path}) IN ('false','true','integer','real','text') THEN json_extract(body, ${path}) ELSE 0 END`;
}

/**
 * Comparisons hold only between values of the same JSON type, as in Cosmos DB (where a mixed-type
 * comparison is undefined): `status != 'done'` does not match a document without `status`.
 */
function toCondition(field: string, op: FilterOp, value: string | number | boolean | null): { sql: string; params: unknown[] } {
  const path = jsonPath(field);
  const sqlOp = OPS[op];
  if (!sqlOp) throw new StoreRequestError(`Unknown operator '${String(op)}'.`);
  if (value === null) {
    const holds = op === '=' || op === '<=' || op === '>=';
    return { sql: holds ? `json_type(body, ${path}) = 'null'` : '0', params: [] };
  }
  switch (typeof value) {
    case 'string':
      return { sql: `(json_type(body, ${path}) = 'text' AND json_extract(body, ${path}) ${sqlOp} ?)`, params: [value] };
    case 'number':
      return { sql: `(json_type(body, ${path}) IN ('integer','real') AND json_extract(body, ${path}) ${sqlOp} ?)`, params: [value] };
    case 'boolean':
      return { sql: `(json_type(body, ${path}) IN ('true','false') AND json_extract(body, ${path}) ${sqlOp} ?)`, params: [value ? 1 : 0] };
    default:
      throw new StoreRequestError(`Unsupported value for '${field}': ${typeof value}.`);
  }
}

interface Cursor {
  /** Order field and direction the token was made for. */
  o: string | null;
  d: 'asc' | 'desc';
  /** The last row's sort key. */
  k: unknown[];
}

/** An opaque token naming the last row of a page (keyset paging: never OFFSET). */
export function toContinuation(orderField: string | null, direction: 'asc' | 'desc', key: unknown[]): string {
  const cursor: Cursor = { o: orderField, d: direction, k: key };
  return Buffer.from(JSON.stringify(cursor)).toString('base64url');
}

function fromContinuation(token: string, orderField: string | null, direction: 'asc' | 'desc', width: number): unknown[] {
  let cursor: Cursor;
  try {
    cursor = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as Cursor;
  } catch {
    throw new InvalidContinuation('Invalid continuation token.');
  }
  if (!cursor || cursor.o !== orderField || cursor.d !== direction || !Array.isArray(cursor.k) || cursor.k.length !== width) {
    throw new InvalidContinuation('The continuation token does not belong to this query.');
  }
  return cursor.k;
}

/** Translates a `QuerySpec` to conditions, order and keyset position for SQLite. */
export function toSqliteQuery(spec: QuerySpec): SqliteQueryPlan {
  const conditions: string[] = [];
  const params: unknown[] = [];
  for (const w of spec.where ?? []) {
    const c = toCondition(w.field, w.op, w.value);
    conditions.push(c.sql);
    params.push(...c.params);
  }
  const direction = spec.orderBy?.direction === 'desc' ? 'desc' : 'asc';
  const orderField = spec.orderBy?.field ?? null;
  const sortKey = orderField ? [typeRank(jsonPath(orderField)), scalarValue(jsonPath(orderField)), 'id'] : ['id'];
  if (spec.continuation) {
    const last = fromContinuation(spec.continuation, orderField, direction, sortKey.length);
    const cmp = direction === 'asc' ? '>' : '<';
    conditions.push(`(${sortKey.join(', ')}) ${cmp} (${sortKey.map(() => '?').join(', ')})`);
    params.push(...last);
  }
  const pageSize = toPageSize(spec.limit);
  const dir = direction.toUpperCase();
  return { conditions, params, orderBy: sortKey.map((e) => `${e} ${dir}`).join(', '), sortKey, fetch: pageSize + 1, pageSize };
}
