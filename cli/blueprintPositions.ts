import { isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, type Node } from 'yaml';

/** A place in a file, 1-based. */
export interface Position {
  line: number;
  column: number;
}

/**
 * Splits a problem path as the API writes it (`spec.modules[0].entities[1].fields.startsAt`)
 * into keys and indexes.
 */
export function toSegments(path: string): (string | number)[] {
  const segments: (string | number)[] = [];
  for (const part of path.match(/[^.[\]]+|\[\d+\]/g) ?? []) segments.push(/^\[\d+\]$/.test(part) ? Number(part.slice(1, -1)) : part);
  return segments;
}

/**
 * Finds where each problem path points in the blueprint text (YAML, or JSON which YAML reads): the
 * key of the deepest node the path reaches, via the `yaml` library's source ranges. A path into
 * something absent (a missing field) points at its nearest present parent.
 */
export function locatePaths(text: string, paths: string[]): Map<string, Position> {
  const lineCounter = new LineCounter();
  const document = parseDocument(text, { lineCounter, uniqueKeys: false });
  const located = new Map<string, Position>();
  for (const path of paths) {
    const offset = offsetOf(document.contents as Node | null, toSegments(path));
    if (offset === undefined) continue;
    const { line, col } = lineCounter.linePos(offset);
    located.set(path, { line, column: col });
  }
  return located;
}

function offsetOf(root: Node | null, segments: (string | number)[]): number | undefined {
  let node: Node | null = root;
  let offset = node?.range?.[0];
  for (const segment of segments) {
    if (isMap(node)) {
      const pair = node.items.find((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === String(segment));
      if (!pair) break;
      offset = (pair.key as Node).range?.[0] ?? offset;
      node = pair.value as Node | null;
    } else if (isSeq(node) && typeof segment === 'number') {
      const item = node.items[segment] as Node | undefined;
      if (!item) break;
      offset = item.range?.[0] ?? offset;
      node = item;
    } else {
      break;
    }
  }
  return offset;
}
