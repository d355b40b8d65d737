import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { Eta } from 'eta';
import { compareText } from '../naming';

/** One rendered file, its path relative to the project folder. */
export interface RenderedFile {
  path: string;
  content: string;
}

const eta = new Eta({ autoEscape: false, autoTrim: false, useWith: false, cache: false });

function walk(root: string, relative = ''): string[] {
  return readdirSync(path.join(root, relative), { withFileTypes: true }).flatMap((entry) => {
    const child = relative ? `${relative}/${entry.name}` : entry.name;
    return entry.isDirectory() ? walk(root, child) : entry.name.endsWith('.eta') ? [child] : [];
  });
}

/**
 * Renders a template tree that mirrors the output: `src/app.ts.eta` becomes `src/app.ts`. A path
 * segment `[list]` renders the file once per item of `data[list]` (each item has a `file` name and
 * is `it.item` in the template). Files come out sorted by path, so output is byte-identical for equal data.
 */
export function renderTree(root: string, data: Record<string, unknown>): RenderedFile[] {
  const files: RenderedFile[] = [];
  for (const template of walk(root)) {
    const source = readFileSync(path.join(root, template), 'utf8');
    const target = template.slice(0, -'.eta'.length);
    const list = /\[([a-zA-Z]+)\]/.exec(target)?.[1];
    if (!list) {
      files.push({ path: target, content: eta.renderString(source, data) });
      continue;
    }
    for (const item of (data[list] as { file: string }[] | undefined) ?? []) {
      files.push({ path: target.replace(`[${list}]`, item.file), content: eta.renderString(source, { ...data, item }) });
    }
  }
  return files.sort((a, b) => compareText(a.path, b.path));
}

/** Where the templates of a generator live: next to its compiled code (copied there by scripts/copy-assets.js). */
export function templateRoot(generatorDir: string, name: string): string {
  return path.join(generatorDir, 'templates', name);
}
