import type { LocatedProblem, PathSegments, ProblemCode } from './problems';

/**
 * Tolerant readers over a document that failed (or has not yet passed) the schema, so the semantic
 * checks can look at whatever parts are well-formed.
 */
export type RawObject = Record<string, unknown>;

export function asObject(value: unknown): RawObject | undefined {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as RawObject) : undefined;
}

export function asList(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

export function asText(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/** The strings of a list with their indexes; entries of other types are the schema's business. */
export function textEntries(value: unknown): { index: number; text: string }[] {
  return asList(value).flatMap((entry, index) => (typeof entry === 'string' ? [{ index, text: entry }] : []));
}

/** One module of the document, as far as it can be read. */
export interface ModuleView {
  index: number;
  path: PathSegments;
  name?: string;
  raw: RawObject;
}

export function moduleViews(spec: RawObject): ModuleView[] {
  return asList(spec.modules).flatMap((value, index) => {
    const raw = asObject(value);
    return raw ? [{ index, path: ['spec', 'modules', index], name: asText(raw.name), raw }] : [];
  });
}

/**
 * A problem for every entry after the first with the same text. `describe` gets the text and the
 * path of its first occurrence.
 */
export function repeatedEntries(
  entries: readonly { path: PathSegments; text: string }[],
  code: ProblemCode,
  describe: (text: string, firstPath: PathSegments) => string,
): LocatedProblem[] {
  const first = new Map<string, PathSegments>();
  const problems: LocatedProblem[] = [];
  for (const entry of entries) {
    const earlier = first.get(entry.text);
    if (earlier) problems.push({ path: entry.path, code, message: describe(entry.text, earlier) });
    else first.set(entry.text, entry.path);
  }
  return problems;
}
