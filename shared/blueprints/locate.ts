import { isMap, isSeq, LineCounter, parseDocument, type Node } from 'yaml';
import type { PathSegments, Problem } from './problems';

/** A problem with the 1-based line and column of the text it is about (the nearest existing node for a missing field). */
export type LocatedTextProblem = Problem & { line?: number; column?: number };

const SEGMENT = /\[(\d+)\]|\[("(?:[^"\\]|\\.)*")\]|([^.[\]]+)/g;

/** `spec.modules[0]["a.b"]` → `['spec', 'modules', 0, 'a.b']`: the inverse of `formatPath`. */
export function toPathSegments(path: string): PathSegments {
  const segments: (string | number)[] = [];
  for (const match of path.matchAll(SEGMENT)) {
    if (match[1] !== undefined) segments.push(Number(match[1]));
    else if (match[2] !== undefined) segments.push(JSON.parse(match[2]) as string);
    else segments.push(match[3]);
  }
  return segments;
}

/**
 * Adds `line`/`column` to each problem so an editor can mark it: syntax problems carry theirs in the
 * message ("at line 3, column 5"); the others are found by walking their path through the parsed
 * text (JSON parses as YAML), stopping at the deepest node that exists.
 */
export function locateProblems(text: string, problems: Problem[]): LocatedTextProblem[] {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, uniqueKeys: false, logLevel: 'silent' });
  return problems.map((problem) => {
    const stated = /line (\d+), column (\d+)/.exec(problem.message);
    if (stated) return { ...problem, line: Number(stated[1]), column: Number(stated[2]) };
    const offset = offsetOf(doc.contents, toPathSegments(problem.path));
    if (offset === undefined) return problem;
    const at = lines.linePos(offset);
    return { ...problem, line: at.line, column: at.col };
  });
}

function offsetOf(root: unknown, path: PathSegments): number | undefined {
  let node = root as Node | null | undefined;
  let offset = node?.range?.[0];
  for (const segment of path) {
    if (isMap(node)) {
      const pair = node.items.find((item) => (item.key as { value?: unknown } | null)?.value === segment);
      if (!pair) break;
      offset = (pair.key as Node).range?.[0] ?? offset;
      node = pair.value as Node | null;
    } else if (isSeq(node) && typeof segment === 'number' && node.items[segment]) {
      node = node.items[segment] as Node;
      offset = node.range?.[0] ?? offset;
    } else break;
  }
  return offset;
}
