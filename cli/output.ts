import { UsageError } from './errors';

/** `-o human|json|jsonl|table`; `--json [fields]` is `-o json` keeping only the named fields. */
export type OutputFormat = 'human' | 'json' | 'jsonl' | 'table';
export const OUTPUT_FORMATS: readonly OutputFormat[] = ['human', 'json', 'jsonl', 'table'];

export interface OutputOptions {
  format: OutputFormat;
  fields?: string[];
}

/** How one kind of data is shown to a person: table columns for lists, text for one thing. */
export interface View<T> {
  /** Columns of the table (lists, `-o table`): header and how to read the cell. */
  columns?: [header: string, cell: (row: never) => unknown][];
  /** Rows of a list answer (default: `data.items`, or the data when it is an array). */
  rows?: (data: T) => unknown[];
  /** Human text (default: the table for lists, `key: value` lines for objects). */
  human?: (data: T) => string;
}

export function toOutputOptions(output: string | undefined, json: string | boolean | undefined): OutputOptions {
  if (json !== undefined && json !== false) {
    return { format: 'json', fields: typeof json === 'string' ? json.split(',').map((f) => f.trim()).filter(Boolean) : undefined };
  }
  const format = (output ?? 'human') as OutputFormat;
  if (!OUTPUT_FORMATS.includes(format)) throw new UsageError(`-o/--output must be one of ${OUTPUT_FORMATS.join(', ')} (got '${output}').`);
  return { format };
}

/** Renders data in the chosen format; the text ends with a newline (empty string for nothing). */
export function render<T>(data: T, options: OutputOptions, view: View<T> = {}): string {
  const rows = rowsOf(data, view);
  switch (options.format) {
    case 'json':
      return `${JSON.stringify(pick(data, options.fields), null, 2)}\n`;
    case 'jsonl':
      return (rows ?? [data]).map((row) => `${JSON.stringify(pick(row, options.fields))}\n`).join('');
    case 'table':
      return rows ? toTable(rows, view) : toKeyValues(data);
    default:
      if (view.human) return ensureNewline(view.human(data));
      return rows ? toTable(rows, view) : toKeyValues(data);
  }
}

function rowsOf<T>(data: T, view: View<T>): unknown[] | undefined {
  if (view.rows) return view.rows(data);
  if (Array.isArray(data)) return data;
  const items = (data as { items?: unknown })?.items;
  return Array.isArray(items) ? items : undefined;
}

/** Keeps the named fields of an object, of each item of an array, or of each `items[]` entry. */
function pick(data: unknown, fields: string[] | undefined): unknown {
  if (!fields?.length || data === null || typeof data !== 'object') return data;
  if (Array.isArray(data)) return data.map((d) => pick(d, fields));
  const record = data as Record<string, unknown>;
  if (Array.isArray(record.items)) return { ...record, items: record.items.map((d) => pick(d, fields)) };
  return Object.fromEntries(fields.filter((f) => f in record).map((f) => [f, record[f]]));
}

/** Columns padded to their widest cell; without declared columns, the scalar fields of the first row. */
export function toTable(rows: unknown[], view: { columns?: View<never>['columns'] } = {}): string {
  if (rows.length === 0) return '(none)\n';
  const columns = view.columns ?? defaultColumns(rows[0]);
  const cells = rows.map((row) => columns.map(([, cell]) => toCell(cell(row as never))));
  const headers = columns.map(([h]) => h.toUpperCase());
  const widths = headers.map((h, i) => Math.max(h.length, ...cells.map((r) => r[i].length)));
  const line = (values: string[]) => values.map((v, i) => (i === values.length - 1 ? v : v.padEnd(widths[i]))).join('  ').trimEnd();
  return `${[line(headers), ...cells.map(line)].join('\n')}\n`;
}

function defaultColumns(first: unknown): [string, (row: never) => unknown][] {
  const record = (first ?? {}) as Record<string, unknown>;
  return Object.keys(record)
    .filter((k) => record[k] === null || typeof record[k] !== 'object')
    .map((k) => [k, (row: never) => (row as Record<string, unknown>)[k]]);
}

function toKeyValues(data: unknown): string {
  if (data === null || typeof data !== 'object') return `${toCell(data)}\n`;
  const entries = Object.entries(data as Record<string, unknown>);
  const width = Math.max(0, ...entries.map(([k]) => k.length));
  return entries.map(([k, v]) => `${`${k}:`.padEnd(width + 1)} ${typeof v === 'object' && v !== null ? JSON.stringify(v) : toCell(v)}`).join('\n') + '\n';
}

function toCell(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (Array.isArray(value)) return value.map(toCell).join(',');
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

function ensureNewline(text: string): string {
  return text === '' || text.endsWith('\n') ? text : `${text}\n`;
}
