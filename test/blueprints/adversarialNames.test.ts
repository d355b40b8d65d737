import fc from 'fast-check';
import { parseAllDocuments } from 'yaml';
import { validateBlueprint, type Blueprint, type Problem } from '../../shared/blueprints';
import { validateManifestsText } from '../../shared/skills/k8s/validateManifests';
import { generateService } from '../../shared/skills/service';
import { generateTests } from '../../shared/skills/tests';
import type { SkillArtifact } from '../../shared/skills/types';
import { validateService, type ValidationReport } from '../../shared/skills/validate';
import { runAllSkills } from '../skills/skillFixtures';

/**
 * Property: a blueprint with adversarial names either fails validation with every problem at a path
 * into the document, or generates artifacts that never collide (exactly or by case), Kubernetes
 * manifests that validate, OpenAPI contracts that declare every entity's schemas, and services
 * that compile and pass their tests. Bounded: 40 cheap runs, two full generate+validate runs.
 */

const base = fc.constantFrom('Item', 'Order', 'Bus', 'Category', 'Problem', 'Entity', 'Promise', 'Docs', 'Xyz', 'Status', 'Page');
const pascal = fc.oneof(
  base,
  base.map((name) => name.toUpperCase()),
  base.map((name) => `${name}Input`),
  base.map((name) => `${name}Page`),
  base.map((name) => `${name}e`),
  base.map((name) => `${name}s`),
  base.map((name) => `${name}Service`),
  base.map((name) => `${name.toUpperCase()}Service`),
  fc.integer({ min: 20, max: 130 }).map((length) => `L${'x'.repeat(length - 1)}`),
  fc.constantFrom('item', 'Or der', 'Ünicode', '', 'A1', 'ABC9Def'),
);
const fieldName = fc.oneof(
  fc.constantFrom('title', 'constructor', 'toString', '__proto__', 'then', 'class', 'id', 'createdat', 'startsAt', 'startsat', 'valueOf', 'default', 'name'),
  fc.integer({ min: 60, max: 70 }).map((length) => `f${'x'.repeat(length - 1)}`),
);
const fieldType = fc.constantFrom('string', 'integer', 'datetime?', 'boolean', 'email');
const entity = fc.record({ name: pascal, fields: fc.dictionary(fieldName, fieldType, { maxKeys: 4 }) });
const event = fc.oneof(base.map((name) => `${name}Happened.v1`), base.map((name) => `${name.toUpperCase()}Happened.v1`));
const moduleArbitrary = fc.record({
  name: pascal,
  kind: fc.constantFrom('microservice', 'worker', 'gateway', 'function'),
  entities: fc.array(entity, { maxLength: 3 }),
  events: fc.record({ emits: fc.uniqueArray(event, { maxLength: 2 }) }),
  infrastructure: fc.record({ database: fc.constantFrom('cosmos', 'postgresql', 'none') }),
});
const blueprintDocument = fc.record({
  apiVersion: fc.constant('factory/v1'),
  kind: fc.constant('Blueprint'),
  metadata: fc.record({ name: fc.constantFrom('shop', 'a-rather-long-blueprint-name') }),
  spec: fc.record({ environments: fc.constantFrom(['dev', 'production'], ['dev'], ['staging']), modules: fc.array(moduleArbitrary, { minLength: 1, maxLength: 3 }) }),
});

/** Whether a problem's path names a place in the document (its value, or for `Required` its parent). */
function resolves(document: unknown, problem: Problem): boolean {
  if (problem.path === '') return true;
  const segments = [...problem.path.matchAll(/\["((?:[^"\\]|\\.)*)"\]|\[(\d+)\]|\.?([A-Za-z_$][\w$-]*)/g)].map((match) => (match[2] !== undefined ? Number(match[2]) : match[1] !== undefined ? JSON.parse(`"${match[1]}"`) : match[3]));
  let value: unknown = document;
  for (const [index, segment] of segments.entries()) {
    if (value === null || typeof value !== 'object') return false;
    const last = index === segments.length - 1;
    if (!Object.prototype.hasOwnProperty.call(value, segment)) return last && problem.code === 'Required';
    value = (value as Record<string | number, unknown>)[segment];
  }
  return true;
}

function serviceArtifacts(blueprint: Blueprint, module: string): SkillArtifact[] {
  const service = generateService({ blueprint, module, artifacts: [] }).artifacts;
  return [...service, ...generateTests({ blueprint, module, artifacts: service }).artifacts];
}

async function everyArtifact(blueprint: Blueprint): Promise<SkillArtifact[]> {
  return [...(await runAllSkills(blueprint)), ...blueprint.spec.modules.flatMap((module) => serviceArtifacts(blueprint, module.name))];
}

function expectNoCollisions(artifacts: readonly SkillArtifact[]): void {
  const byName = new Map<string, string>();
  for (const artifact of artifacts) {
    const key = artifact.name.toLowerCase();
    expect({ name: artifact.name, clashesWith: byName.get(key) }).toEqual({ name: artifact.name, clashesWith: undefined });
    byName.set(key, artifact.name);
  }
}

function expectContractsComplete(blueprint: Blueprint, artifacts: readonly SkillArtifact[]): void {
  for (const module of blueprint.spec.modules) {
    const contract = artifacts.find((artifact) => artifact.kind === 'openapi-contract' && artifact.module === module.name)!;
    const schemas = Object.keys((parseAllDocuments(contract.content)[0].toJS() as { components: { schemas: object } }).components.schemas);
    expect(schemas).toHaveLength(1 + 3 * module.entities.length);
    const manifests = artifacts.find((artifact) => artifact.kind === 'k8s-manifests' && artifact.module === module.name)!;
    expect(validateManifestsText(manifests.content)).toEqual([]);
  }
}

describe('adversarial blueprint names (property)', () => {
  it('either fail validation at the right paths or generate without collisions', async () => {
    let valid = 0;
    await fc.assert(
      fc.asyncProperty(blueprintDocument, async (document) => {
        const result = validateBlueprint(document);
        if (!result.ok) {
          for (const problem of result.problems) expect({ problem, resolves: resolves(document, problem) }).toEqual({ problem, resolves: true });
          return;
        }
        valid++;
        const artifacts = await everyArtifact(result.blueprint);
        expectNoCollisions(artifacts);
        expectContractsComplete(result.blueprint, artifacts);
      }),
      { numRuns: 40, seed: 20261129 },
    );
    expect(valid).toBeGreaterThan(0);
  }, 300_000);

  it('generates services that compile and pass their tests for valid adversarial blueprints', async () => {
    const samples = fc.sample(blueprintDocument, { numRuns: 400, seed: 7 }).flatMap((document) => {
      const result = validateBlueprint(document);
      return result.ok && result.blueprint.spec.modules.some((module) => module.entities.length > 0) ? [result.blueprint] : [];
    });
    expect(samples.length).toBeGreaterThanOrEqual(2);
    for (const blueprint of samples.slice(0, 2)) {
      const module = blueprint.spec.modules.find((candidate) => candidate.entities.length > 0)!;
      const outcome = await validateService({ blueprint, module: module.name, artifacts: serviceArtifacts(blueprint, module.name) });
      const report = JSON.parse(outcome.artifacts[0].content) as ValidationReport;
      expect({ module: module.name, entities: module.entities.map((entity) => entity.name), status: report.status, diagnostics: report.typecheck.diagnostics }).toEqual({
        module: module.name,
        entities: module.entities.map((entity) => entity.name),
        status: 'passed',
        diagnostics: [],
      });
    }
  }, 600_000);
});
