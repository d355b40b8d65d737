/**
 * Bounds on the shape of a parsed request document (JSON or YAML), checked without recursion so
 * that no input can overflow the stack or make the parser allocate without bound. A 10,000-deep
 * YAML document overflowed the yaml parser's stack, and deep JSON overflows `JSON.stringify` when it
 * is stored; a 512 KiB flow list of 250,000 one-letter items took the yaml parser 2 s and 300 MB.
 */
export interface ShapeLimits {
  /** Deepest nesting of objects and arrays; the document itself is depth 0. */
  maxDepth: number;
  /** Most values (objects, arrays, scalars) in the document. */
  maxNodes: number;
  /** Longest string value or key, in UTF-16 code units. */
  maxStringLength: number;
}

/** One broken bound: which, where (segments into the document) and a sentence naming the limit. */
export interface ShapeViolation {
  limit: keyof ShapeLimits;
  path: (string | number)[];
  message: string;
}

/**
 * Default bounds of JSON request bodies: 64 levels (the deepest factory schema is under 20) and
 * 100,000 values; strings are bounded by each route's body limit (the artifact route's base64
 * content reaches 11 MiB), so the string bound here only stops what no route accepts.
 */
export const DEFAULT_BODY_SHAPE: ShapeLimits = { maxDepth: 64, maxNodes: 100_000, maxStringLength: 16 * 1024 * 1024 };

/**
 * A lexical pre-check of YAML or JSON text, before any parser sees it: flow nesting (`[`, `{`)
 * outside quotes and comments, block nesting (indentation plus compact `- ` / `? ` indicators on a
 * line, counted as one level per indicator and per two spaces), and the number of items (commas and
 * lines). It may over-count (that only rejects text no real document has), never under-count.
 */
export function scanTextShape(text: string, limits: Pick<ShapeLimits, 'maxDepth' | 'maxNodes'>): ShapeViolation | undefined {
  let flow = 0;
  let items = 0;
  let quote = '';
  let comment = false;
  let lineStart = true;
  let indent = 0;
  let line = 1;
  for (let index = 0; index < text.length; index++) {
    const char = text[index];
    if (char === '\n') {
      comment = false;
      lineStart = true;
      indent = 0;
      line++;
      if (++items > limits.maxNodes) return tooWide(limits.maxNodes, line);
      continue;
    }
    if (comment) continue;
    if (quote) {
      if (char === '\\' && quote === '"') index++;
      else if (char === quote) quote = '';
      continue;
    }
    if (lineStart && (char === ' ' || char === '-' || char === '?' || char === '\t')) {
      indent += char === ' ' ? 0.5 : char === '\t' ? 1 : 0;
      if ((char === '-' || char === '?') && /[\s]/.test(text[index + 1] ?? ' ')) indent++;
      if (flow + indent > limits.maxDepth) return tooDeep(limits.maxDepth, line);
      continue;
    }
    lineStart = false;
    if (char === '"' || char === "'") quote = char;
    else if (char === '#' && /\s/.test(text[index - 1] ?? ' ')) comment = true;
    else if (char === '[' || char === '{') {
      if (++flow + indent > limits.maxDepth) return tooDeep(limits.maxDepth, line);
    } else if (char === ']' || char === '}') flow = Math.max(0, flow - 1);
    else if (char === ',' && ++items > limits.maxNodes) return tooWide(limits.maxNodes, line);
  }
  return undefined;
}

function tooDeep(maxDepth: number, line: number): ShapeViolation {
  return { limit: 'maxDepth', path: [], message: `The document nests deeper than ${maxDepth} levels (at line ${line}); the limit is ${maxDepth}.` };
}

function tooWide(maxNodes: number, line: number): ShapeViolation {
  return { limit: 'maxNodes', path: [], message: `The document has more than ${maxNodes} entries (at line ${line}); the limit is ${maxNodes}.` };
}

/**
 * The first bound a parsed value breaks, walking it breadth-first with an explicit queue; the path
 * names the first value found too deep or the string too long.
 */
export function checkValueShape(value: unknown, limits: ShapeLimits): ShapeViolation | undefined {
  const queue: { value: unknown; path: (string | number)[] }[] = [{ value, path: [] }];
  let nodes = 0;
  for (let head = 0; head < queue.length; head++) {
    const current = queue[head];
    queue[head] = undefined as never;
    if (++nodes > limits.maxNodes) return { limit: 'maxNodes', path: [], message: `The document has more than ${limits.maxNodes} values; the limit is ${limits.maxNodes}.` };
    if (typeof current.value === 'string') {
      if (current.value.length > limits.maxStringLength) return longString(current.path, current.value.length, limits.maxStringLength);
      continue;
    }
    if (current.value === null || typeof current.value !== 'object') continue;
    if (current.path.length >= limits.maxDepth) {
      return { limit: 'maxDepth', path: current.path, message: `The document nests deeper than ${limits.maxDepth} levels here; the limit is ${limits.maxDepth}.` };
    }
    const entries: [string | number, unknown][] = Array.isArray(current.value) ? current.value.map((item, index) => [index, item]) : Object.entries(current.value);
    for (const [key, child] of entries) {
      if (typeof key === 'string' && key.length > limits.maxStringLength) return longString(current.path, key.length, limits.maxStringLength);
      queue.push({ value: child, path: [...current.path, key] });
    }
    if (queue.length > limits.maxNodes + head) return { limit: 'maxNodes', path: [], message: `The document has more than ${limits.maxNodes} values; the limit is ${limits.maxNodes}.` };
  }
  return undefined;
}

function longString(path: (string | number)[], length: number, max: number): ShapeViolation {
  return { limit: 'maxStringLength', path, message: `A string of ${length} characters is longer than the limit of ${max}.` };
}
