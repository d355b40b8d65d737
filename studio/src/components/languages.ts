import { javascript } from '@codemirror/lang-javascript';
import { json } from '@codemirror/lang-json';
import { markdown } from '@codemirror/lang-markdown';
import { yaml } from '@codemirror/lang-yaml';
import type { Extension } from '@codemirror/state';

/** The CodeMirror language of a file: TypeScript/JavaScript, JSON, YAML or Markdown; plain text otherwise. */
export function languageFor(name: string, contentType: string): Extension[] {
  if (/\.(ts|tsx|mts|cts)$/.test(name) || /typescript/.test(contentType)) return [javascript({ typescript: true })];
  if (/\.(js|mjs|cjs|jsx)$/.test(name) || /javascript/.test(contentType)) return [javascript()];
  if (/\.json$/.test(name) || /json/.test(contentType)) return [json()];
  if (/\.ya?ml$/.test(name) || /yaml/.test(contentType)) return [yaml()];
  if (/\.md$/.test(name) || /markdown/.test(contentType)) return [markdown()];
  return [];
}
