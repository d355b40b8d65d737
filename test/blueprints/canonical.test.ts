import { parse } from 'yaml';
import { canonicalJson, contentHash, parseBlueprint } from '../../shared/blueprints';
import { exampleText, validBlueprint } from './support';

/** The same data with every object's keys in reverse order. */
function reverseKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(reverseKeys);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(Object.entries(value).reverse().map(([key, member]) => [key, reverseKeys(member)]));
}

describe('canonical form and content hash', () => {
  const yaml = exampleText('vetclinic.yaml');

  it('gives YAML and JSON of the same blueprint, in another key order and layout, the same hash', () => {
    const fromYaml = parseBlueprint(yaml);
    const json = JSON.stringify(reverseKeys(parse(yaml)), null, '\t');
    const fromJson = parseBlueprint(json);
    expect(fromJson).toMatchObject({ ok: true, format: 'json' });
    expect(json.indexOf('"cost"')).toBeLessThan(json.indexOf('"modules"'));
    if (!fromYaml.ok || !fromJson.ok) throw new Error('both must be valid');
    expect(fromJson.contentHash).toBe(fromYaml.contentHash);
    expect(fromJson.canonical).toBe(fromYaml.canonical);
    expect(contentHash(fromJson.blueprint)).toBe(fromYaml.contentHash);
  });

  it('writes sorted keys, no whitespace and normalized field types', () => {
    const result = parseBlueprint(yaml);
    if (!result.ok) throw new Error('must be valid');
    expect(result.canonical.startsWith('{"apiVersion":"factory/v1","kind":"Blueprint","metadata":{"name":"vetclinic"},"spec":{"cost":')).toBe(true);
    expect(result.canonical).toContain('"petName":{"kind":"scalar","name":"string","optional":false}');
    expect(JSON.parse(result.canonical)).toEqual(result.blueprint);
    expect(canonicalJson({ b: [3, { d: 1, c: undefined }], a: 'x' })).toBe('{"a":"x","b":[3,{"d":1}]}');
  });

  it('treats an omitted list and an empty one alike, and a changed value as a new version', () => {
    const base = validBlueprint(yaml);
    const explicit = validBlueprint(yaml.replace('kind: worker', 'kind: worker\n      dependsOn: []'));
    expect(contentHash(explicit)).toBe(contentHash(base));
    const changed = validBlueprint(yaml.replace('monthlyBudgetUsd: 500', 'monthlyBudgetUsd: 501'));
    expect(contentHash(changed)).not.toBe(contentHash(base));
    const optional = validBlueprint(yaml.replace('petName: string', 'petName: string?'));
    expect(contentHash(optional)).not.toBe(contentHash(base));
  });
});
