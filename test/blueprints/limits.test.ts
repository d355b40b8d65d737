import { stringify } from 'yaml';
import { BLUEPRINT_LIMITS } from '../../shared/blueprints/limits';
import { parseBlueprint, validateBlueprint, type Problem } from '../../shared/blueprints';
import { documentWith } from './support';

function problemsOfText(text: string, contentType?: string): Problem[] {
  const result = parseBlueprint(text, contentType);
  if (result.ok) throw new Error('expected problems, the blueprint is valid');
  return result.problems;
}

describe('blueprint size limits', () => {
  it('answers a 10,000-deep YAML document with a problem naming the depth limit, not a stack overflow', () => {
    for (const text of [`spec: ${'['.repeat(10_000)}${']'.repeat(10_000)}`, `spec:\n  ${'- '.repeat(10_000)}x`, `${'{a: '.repeat(10_000)}1${'}'.repeat(10_000)}`]) {
      const problems = problemsOfText(text, 'application/yaml');
      expect(problems).toEqual([{ path: '', code: 'LimitExceeded', message: expect.stringContaining(`the limit is ${BLUEPRINT_LIMITS.maxDepth}`) }]);
      expect(problems[0].message).not.toMatch(/call stack/i);
    }
  });

  it('answers deep JSON the same way, whether sniffed or declared', () => {
    const text = `{"spec": ${'['.repeat(5_000)}${']'.repeat(5_000)}}`;
    expect(problemsOfText(text)[0]).toMatchObject({ path: '', code: 'LimitExceeded' });
    expect(problemsOfText(text, 'application/json')[0]).toMatchObject({ path: '', code: 'LimitExceeded' });
  });

  it('names the path of a value nested too deep once parsed (validateBlueprint on plain data)', () => {
    let deep: unknown = 'x';
    for (let i = 0; i < 40; i++) deep = { a: deep };
    const problems = validateBlueprint({ ...documentWith([{ name: 'A', kind: 'worker' }]), extra: deep }).ok;
    expect(problems).toBe(false);
    const result = validateBlueprint({ ...documentWith([{ name: 'A', kind: 'worker' }]), extra: deep });
    if (!result.ok) expect(result.problems).toEqual([{ path: `extra${'.a'.repeat(BLUEPRINT_LIMITS.maxDepth - 1)}`, code: 'LimitExceeded', message: expect.stringContaining(`the limit is ${BLUEPRINT_LIMITS.maxDepth}`) }]);
  });

  it('refuses very wide documents before the YAML parser allocates for them', () => {
    const text = `spec: [${Array(BLUEPRINT_LIMITS.maxNodes + 10).fill('a').join(',')}]`;
    expect(problemsOfText(text, 'application/yaml')).toEqual([{ path: '', code: 'LimitExceeded', message: expect.stringContaining(`the limit is ${BLUEPRINT_LIMITS.maxNodes}`) }]);
  });

  it('refuses huge strings at their path', () => {
    const document = documentWith([{ name: 'A', kind: 'worker', description: 'x'.repeat(BLUEPRINT_LIMITS.maxStringLength + 1) }]);
    expect(problemsOfText(stringify(document), 'application/yaml')).toEqual([{ path: 'spec.modules[0].description', code: 'LimitExceeded', message: expect.stringContaining(`limit of ${BLUEPRINT_LIMITS.maxStringLength}`) }]);
  });

  it('refuses alias expansion beyond the limit ("billion laughs")', () => {
    const lines = ['a: &a [x, x, x, x, x, x, x, x, x, x]'];
    for (let i = 0; i < 8; i++) lines.push(`${String.fromCharCode(98 + i)}: &${String.fromCharCode(98 + i)} [${Array(10).fill(`*${String.fromCharCode(97 + i)}`).join(', ')}]`);
    expect(problemsOfText(lines.join('\n'), 'application/yaml')).toEqual([{ path: '', code: 'LimitExceeded', message: expect.stringContaining(`more than ${BLUEPRINT_LIMITS.maxAliasCount} times`) }]);
  });

  it('limits the number of modules, with the path of the list', () => {
    const modules = Array.from({ length: BLUEPRINT_LIMITS.maxModules + 1 }, (_, index) => ({ name: `Module${index}`, kind: 'worker' }));
    const result = validateBlueprint(documentWith(modules));
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.problems).toEqual([{ path: 'spec.modules', code: 'LimitExceeded', message: `${BLUEPRINT_LIMITS.maxModules + 1} modules; the limit is ${BLUEPRINT_LIMITS.maxModules}.` }]);
  });
});
