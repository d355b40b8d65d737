import { LineCounter, isMap, isScalar, isSeq, parseDocument, type Node } from 'yaml';
import { BLUEPRINT_LIMITS, checkTextLimits } from './limits';
import type { LocatedProblem, PathSegments } from './problems';

/** How a blueprint was written. */
export type BlueprintFormat = 'yaml' | 'json';

/** The plain value a blueprint text holds, its format, and its syntax problems. */
export interface BlueprintSource {
  format: BlueprintFormat;
  /** The document as plain data; `undefined` when the text could not be read at all. */
  value: unknown;
  problems: LocatedProblem[];
}

/**
 * Reads blueprint text. A content type naming json or yaml decides the format; otherwise text that
 * starts with `{` or `[` is JSON, unless it is not valid JSON but is valid YAML (flow style).
 */
export function readSource(text: string, contentType?: string): BlueprintSource {
  const body = text.replace(/^\uFEFF/, '');
  const declared = formatOf(contentType);
  const tooLarge = checkTextLimits(body);
  if (tooLarge.length) return { format: declared ?? (/^\s*[[{]/.test(body) ? 'json' : 'yaml'), value: undefined, problems: tooLarge };
  if (declared === 'yaml') return readYaml(body);
  if (declared === 'json') return readJson(body);
  if (!/^\s*[[{]/.test(body)) return readYaml(body);
  const json = readJson(body);
  if (json.value !== undefined) return json;
  const yaml = readYaml(body);
  return yaml.problems.length === 0 ? yaml : json;
}

function formatOf(contentType?: string): BlueprintFormat | undefined {
  const mime = contentType?.split(';')[0].trim().toLowerCase() ?? '';
  if (/[/+]json$/.test(mime)) return 'json';
  if (/[/+-]yaml$|[/+-]yml$/.test(mime)) return 'yaml';
  return undefined;
}

function readYaml(text: string): BlueprintSource {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, uniqueKeys: false, prettyErrors: false, logLevel: 'silent' });
  const problems: LocatedProblem[] = doc.errors.map((error) => {
    const at = lineCounter.linePos(error.pos[0]);
    return { path: [], code: 'YamlSyntax', message: `${error.message.replace(/\.$/, '')} at line ${at.line}, column ${at.col}.` };
  });
  // What the parser recovers after a syntax error is a guess; checking it would mostly report noise.
  if (problems.length) return { format: 'yaml', value: undefined, problems };
  problems.push(...duplicateKeys(doc.contents, [], lineCounter));
  try {
    return { format: 'yaml', value: doc.toJS({ maxAliasCount: BLUEPRINT_LIMITS.maxAliasCount }), problems };
  } catch (error) {
    const aliases = /alias count/i.test((error as Error).message);
    const message = aliases ? `The document expands YAML aliases more than ${BLUEPRINT_LIMITS.maxAliasCount} times; the limit is ${BLUEPRINT_LIMITS.maxAliasCount}.` : (error as Error).message;
    problems.push({ path: [], code: aliases ? 'LimitExceeded' : 'YamlSyntax', message });
    return { format: 'yaml', value: undefined, problems };
  }
}

function readJson(text: string): BlueprintSource {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return { format: 'json', value: undefined, problems: [{ path: [], code: 'JsonSyntax', message: jsonErrorMessage(text, error as Error) }] };
  }
  // JSON.parse keeps the last of duplicate keys silently; the YAML reader of the same text finds them.
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, uniqueKeys: false, logLevel: 'silent' });
  return { format: 'json', value, problems: duplicateKeys(doc.contents, [], lineCounter) };
}

function jsonErrorMessage(text: string, error: Error): string {
  const position = /position (\d+)/.exec(error.message);
  if (!position) return `Invalid JSON: ${error.message}.`;
  const before = text.slice(0, Number(position[1])).split('\n');
  const message = error.message.replace(/ in JSON at position \d+.*$/, '').replace(/\s*\(line \d+ column \d+\)$/, '');
  return `Invalid JSON: ${message} at line ${before.length}, column ${before[before.length - 1].length + 1}.`;
}

function duplicateKeys(node: unknown, path: PathSegments, lines: LineCounter): LocatedProblem[] {
  const problems: LocatedProblem[] = [];
  if (isSeq(node)) {
    node.items.forEach((item, index) => problems.push(...duplicateKeys(item, [...path, index], lines)));
  } else if (isMap(node)) {
    const firstSeen = new Map<string, Node>();
    for (const pair of node.items) {
      const key = isScalar(pair.key) ? String(pair.key.value) : undefined;
      if (key === undefined) continue;
      const first = firstSeen.get(key);
      if (first) problems.push({ path: [...path, key], code: 'DuplicateKey', message: duplicateMessage(key, pair.key as Node, first, lines) });
      else firstSeen.set(key, pair.key as Node);
      problems.push(...duplicateKeys(pair.value, [...path, key], lines));
    }
  }
  return problems;
}

function duplicateMessage(key: string, again: Node, first: Node, lines: LineCounter): string {
  const at = (node: Node) => {
    const pos = lines.linePos(node.range?.[0] ?? 0);
    return `line ${pos.line}, column ${pos.col}`;
  };
  return `Key '${key}' appears again at ${at(again)} (first at ${at(first)}); keys must be unique.`;
}
