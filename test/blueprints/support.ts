import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseBlueprint, type Blueprint, type Problem } from '../../shared/blueprints';

const examples = path.resolve(__dirname, '../../../shared/blueprints/examples');

/** The text of a file in shared/blueprints/examples (tests run from dist/, examples stay in the source tree). */
export function exampleText(name: string): string {
  return readFileSync(path.join(examples, name), 'utf8');
}

/** Parses text that must be a valid blueprint; fails the test with the problems otherwise. */
export function validBlueprint(text: string, contentType?: string): Blueprint {
  const result = parseBlueprint(text, contentType);
  if (!result.ok) throw new Error(`expected a valid blueprint, got:\n${JSON.stringify(result.problems, null, 2)}`);
  return result.blueprint;
}

/** The problems of text that must be invalid, as `[path, code]` pairs. */
export function problemsOf(text: string, contentType?: string): Problem[] {
  const result = parseBlueprint(text, contentType);
  if (result.ok) throw new Error('expected problems, the blueprint is valid');
  return result.problems;
}

export function pathsAndCodes(problems: readonly Problem[]): [string, string][] {
  return problems.map((problem) => [problem.path, problem.code]);
}

/** A minimal valid document with the given modules, as plain data. */
export function documentWith(modules: object[], spec: object = {}): Record<string, unknown> {
  return { apiVersion: 'factory/v1', kind: 'Blueprint', metadata: { name: 'sample' }, spec: { environments: ['dev', 'production'], modules, ...spec } };
}

/** Every problem of examples/broken.yaml as `[path, code]`, in the order they are reported. */
export const BROKEN_EXAMPLE_PROBLEMS: readonly [string, string][] = [
  ['metadata.owner', 'UnknownField'],
  ['spec.cost.monthlyBudgetUsd', 'OutOfRange'],
  ['spec.modules[0].dependsOn[0]', 'DependencyCycle'],
  ['spec.modules[0].dependsOn[1]', 'UnknownDependency'],
  ['spec.modules[0].entities[0].fields.id', 'ReservedField'],
  ['spec.modules[0].entities[0].fields.startsAt', 'UnknownFieldType'],
  ['spec.modules[0].entities[0].fields.vet', 'UnknownRef'],
  ['spec.modules[0].entities[1].name', 'DuplicateEntity'],
  ['spec.modules[0].events.consumes[0]', 'UnemittedEvent'],
  ['spec.modules[0].events.emits[0]', 'EventVersionMissing'],
  ['spec.modules[0].scaling.minReplicas', 'ReplicasRange'],
  ['spec.modules[1].entities[0].fields.fullName', 'DuplicateKey'],
  ['spec.modules[1].kind', 'InvalidValue'],
  ['spec.modules[2].name', 'DuplicateModule'],
  ['spec.release.approvals.qa', 'UnknownEnvironment'],
];
