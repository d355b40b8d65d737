import { stringify } from 'yaml';

/** YAML as every skill writes it: no anchors/aliases, no line folding, so the text is stable and diffable. */
export function toYaml(value: unknown): string {
  return stringify(value, { aliasDuplicateObjects: false, lineWidth: 0 });
}
