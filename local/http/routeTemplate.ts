/**
 * ASP.NET-style route templates as Azure Functions HTTP triggers use them: `{id}`, `{id?}`,
 * `{id:int}`, `{id:minlength(3):alpha}`, `{*rest}`, literals matched case-insensitively.
 */
export interface CompiledRoute {
  template: string;
  /** Lexicographic precedence: lower sorts first (literals before parameters before catch-alls). */
  rank: number[];
  /** How many path segments a matching path has at least and at most (Infinity with a catch-all). */
  minSegments: number;
  maxSegments: number;
  match(path: string): Record<string, string> | undefined;
}

/** The number of segments `match` sees in `path` (`/a/b` → 2, `/` → 0): routes outside their range can be skipped. */
export function segmentCount(path: string): number {
  const normal = normalizePath(path);
  let count = 0;
  for (let i = 0; i < normal.length; i++) if (normal.charCodeAt(i) === 47) count++; // '/'
  return count;
}

type Constraint = (value: string) => boolean;

const NUMBER = /^-?\d+(\.\d+)?$/;
const CONSTRAINTS: Record<string, (arg: string[]) => Constraint> = {
  int: () => (v) => /^-?\d+$/.test(v) && Math.abs(Number(v)) <= 2 ** 31,
  long: () => (v) => /^-?\d+$/.test(v),
  bool: () => (v) => /^(true|false)$/i.test(v),
  alpha: () => (v) => /^[a-z]+$/i.test(v),
  guid: () => (v) => /^[{(]?[\da-f]{8}-?[\da-f]{4}-?[\da-f]{4}-?[\da-f]{4}-?[\da-f]{12}[)}]?$/i.test(v),
  float: () => (v) => NUMBER.test(v),
  double: () => (v) => NUMBER.test(v),
  decimal: () => (v) => NUMBER.test(v),
  datetime: () => (v) => !Number.isNaN(Date.parse(v)),
  minlength: ([n]) => (v) => v.length >= Number(n),
  maxlength: ([n]) => (v) => v.length <= Number(n),
  length: ([a, b]) => (v) => (b === undefined ? v.length === Number(a) : v.length >= Number(a) && v.length <= Number(b)),
  min: ([n]) => (v) => /^-?\d+$/.test(v) && Number(v) >= Number(n),
  max: ([n]) => (v) => /^-?\d+$/.test(v) && Number(v) <= Number(n),
  range: ([a, b]) => (v) => /^-?\d+$/.test(v) && Number(v) >= Number(a) && Number(v) <= Number(b),
  regex: ([pattern]) => {
    const re = new RegExp(pattern, 'i');
    return (v) => re.test(v);
  },
};

interface Param {
  name: string;
  optional: boolean;
  catchAll: boolean;
  defaultValue?: string;
  constraints: Constraint[];
}

function parseConstraints(spec: string, template: string): Constraint[] {
  const out: Constraint[] = [];
  // Split on ':' outside parentheses (regex arguments may contain colons).
  let depth = 0;
  let current = '';
  const parts: string[] = [];
  for (const ch of spec) {
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (ch === ':' && depth === 0) {
      parts.push(current);
      current = '';
    } else current += ch;
  }
  if (current) parts.push(current);
  for (const part of parts) {
    const m = /^(\w+)(?:\((.*)\))?$/s.exec(part);
    const factory = m && CONSTRAINTS[m[1].toLowerCase()];
    if (!m || !factory) throw new Error(`Route "${template}": unknown constraint "${part}"`);
    const args = m[2] === undefined ? [] : m[1].toLowerCase() === 'regex' ? [m[2]] : m[2].split(',').map((s) => s.trim());
    out.push(factory(args));
  }
  return out;
}

function parseParam(body: string, template: string): Param {
  let text = body;
  const catchAll = text.startsWith('*');
  if (catchAll) text = text.replace(/^\*+/, '');
  let defaultValue: string | undefined;
  const eq = text.indexOf('=');
  if (eq >= 0) {
    defaultValue = text.slice(eq + 1);
    text = text.slice(0, eq);
  }
  let optional = false;
  if (text.endsWith('?')) {
    optional = true;
    text = text.slice(0, -1);
  }
  const colon = text.indexOf(':');
  const name = colon >= 0 ? text.slice(0, colon) : text;
  if (!/^\w+$/.test(name)) throw new Error(`Route "${template}": bad parameter "{${body}}"`);
  const constraints = colon >= 0 ? parseConstraints(text.slice(colon + 1), template) : [];
  return { name, optional: optional || catchAll || defaultValue !== undefined, catchAll, defaultValue, constraints };
}

function escapeRegex(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

export function compileRoute(template: string): CompiledRoute {
  const clean = template.replace(/^\/+|\/+$/g, '');
  const segments = clean === '' ? [] : clean.split('/');
  const params: Param[] = [];
  const rank: number[] = [];
  let mayBeAbsent = 0;
  let catchAll = false;
  let pattern = '^';
  for (const segment of segments) {
    const whole = /^\{([^{}]+)\}$/.exec(segment);
    if (whole) {
      const p = parseParam(whole[1], template);
      params.push(p);
      rank.push(p.catchAll ? 4 : p.optional ? 3 : p.constraints.length ? 1 : 2);
      // A whole-segment optional parameter may be absent, a catch-all may span any number of segments.
      if (p.optional) mayBeAbsent++;
      if (p.catchAll) catchAll = true;
      const group = p.catchAll ? '(.*)' : '([^/]+)';
      pattern += p.optional ? `(?:/${group})?` : `/${group}`;
      continue;
    }
    // Literal segment, possibly with embedded parameters such as `{name}.{ext}`.
    let seg = '';
    let last = 0;
    const re = /\{([^{}]+)\}/g;
    let m: RegExpExecArray | null;
    let hasParam = false;
    while ((m = re.exec(segment))) {
      seg += escapeRegex(segment.slice(last, m.index));
      const p = parseParam(m[1], template);
      params.push(p);
      seg += p.optional ? '([^/]*?)' : '([^/]+?)';
      last = m.index + m[0].length;
      hasParam = true;
    }
    seg += escapeRegex(segment.slice(last));
    rank.push(hasParam ? 1 : 0);
    pattern += '/' + seg;
  }
  pattern += '/?$';
  const regex = new RegExp(pattern, 'i');
  return {
    template,
    rank,
    minSegments: segments.length - mayBeAbsent,
    maxSegments: catchAll ? Infinity : segments.length,
    match(path: string) {
      const m = regex.exec(normalizePath(path));
      if (!m) return undefined;
      const values: Record<string, string> = {};
      for (let i = 0; i < params.length; i++) {
        const p = params[i];
        let raw = m[i + 1];
        if (raw === undefined || raw === '') {
          if (!p.optional) return undefined;
          if (p.defaultValue !== undefined) values[p.name] = p.defaultValue;
          continue;
        }
        try {
          raw = p.catchAll ? raw.split('/').map(decodeURIComponent).join('/') : decodeURIComponent(raw);
        } catch {
          return undefined;
        }
        if (!p.constraints.every((c) => c(raw))) return undefined;
        values[p.name] = raw;
      }
      return values;
    },
  };
}

/** Orders routes so the most specific template is tried first. */
export function byPrecedence(a: CompiledRoute, b: CompiledRoute): number {
  const n = Math.max(a.rank.length, b.rank.length);
  for (let i = 0; i < n; i++) {
    const x = a.rank[i] ?? -1;
    const y = b.rank[i] ?? -1;
    if (x !== y) return x - y;
  }
  return 0;
}

/** `/a/b` from `a/b`, `//a/b/` and the like; most paths already have that shape and are returned as they are. */
function normalizePath(path: string): string {
  if (path.charCodeAt(0) === 47 && path.charCodeAt(1) !== 47 && path.charCodeAt(path.length - 1) !== 47) return path; // '/'
  return ('/' + path.replace(/^\/+/, '')).replace(/\/+$/, '');
}
