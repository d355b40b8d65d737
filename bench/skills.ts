import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseBlueprint, type Blueprint } from '../shared/blueprints';
import { BUILTIN_SKILLS } from '../shared/skills/registry';
import type { Skill, SkillArtifact } from '../shared/skills/types';
import type { ValidationReport } from '../shared/skills/validate';
import { generatedBlueprint } from './blueprintGen';

// The in-process factory rows: blueprint validation and the built-in skills, run in the bench
// process itself (no host), timed with performance.now().

/** `parseBlueprint` (YAML text → validated, normalized blueprint, canonical JSON and hash) `runs` times. */
export function blueprintValidationTimes(modules: number, runs: number, warmUp = 5): { ms: number[]; bytes: number } {
  const text = generatedBlueprint(modules);
  const ms: number[] = [];
  for (let i = 0; i < warmUp + runs; i++) {
    const t0 = performance.now();
    const result = parseBlueprint(text, 'application/yaml');
    const elapsed = performance.now() - t0;
    if (!result.ok) throw new Error(`the generated ${modules}-module blueprint is invalid: ${JSON.stringify(result.problems.slice(0, 5))}`);
    if (result.blueprint.spec.modules.length !== modules) throw new Error(`parsed ${result.blueprint.spec.modules.length} modules, expected ${modules}`);
    if (i >= warmUp) ms.push(elapsed);
  }
  return { ms, bytes: Buffer.byteLength(text) };
}

function skill(name: string): Skill {
  const found = BUILTIN_SKILLS.find((s) => s.name === name);
  if (!found) throw new Error(`no built-in skill ${name}`);
  return found;
}

export interface GenerationRun {
  modules: number;
  totalMs: number;
  /** Wall time per skill name, summed over modules. */
  bySkill: Map<string, number>;
  artifacts: number;
  /** Modules whose ValidateService report said `passed` with every check ok. */
  validated: number;
  failures: string[];
}

/**
 * Runs the built-in skills over a blueprint the way ProjectBootstrap does, one skill after the other
 * in this process: DraftVisionDocument → DesignArchitecture, then for each module
 * EmitOpenApiContract → DefineEventContracts → GenerateService → GenerateTests → ValidateService,
 * each skill given the artifacts the workflow gives it (the same input lists as
 * orchestrations/microserviceAssembly.ts). Modules run one after the other (the workflow fans them
 * out; here the sum is the cost of the work, free of scheduling).
 */
export async function generateAndValidate(blueprint: Blueprint): Promise<GenerationRun> {
  const bySkill = new Map<string, number>();
  let artifacts = 0;
  const run = async (name: string, module: string | undefined, inputs: SkillArtifact[]) => {
    const t0 = performance.now();
    const result = await skill(name).run({ blueprint, module, artifacts: inputs });
    bySkill.set(name, (bySkill.get(name) ?? 0) + performance.now() - t0);
    artifacts += result.artifacts.length;
    return result;
  };
  const failures: string[] = [];
  let validated = 0;
  const t0 = performance.now();
  const vision = (await run('DraftVisionDocument', undefined, [])).artifacts;
  const architecture = (await run('DesignArchitecture', undefined, vision)).artifacts;
  for (const { name: module } of blueprint.spec.modules) {
    const contract = (await run('EmitOpenApiContract', module, architecture)).artifacts;
    const events = (await run('DefineEventContracts', module, [...architecture, ...contract])).artifacts;
    const service = (await run('GenerateService', module, [...contract, ...events])).artifacts;
    const tests = (await run('GenerateTests', module, [...contract, ...service])).artifacts;
    const validation = await run('ValidateService', module, [...service, ...tests]);
    const report = JSON.parse(validation.artifacts.find((a) => a.kind === 'validation-report')?.content ?? '{}') as Partial<ValidationReport>;
    const failed = validation.checks.filter((c) => !c.ok);
    if (report.status === 'passed' && failed.length === 0) validated++;
    else failures.push(`${module}: ${report.status ?? 'no report'}; ${failed.map((c) => `${c.name}: ${c.detail ?? ''}`).join(' | ').slice(0, 400)}`);
  }
  const totalMs = performance.now() - t0;
  return { modules: blueprint.spec.modules.length, totalMs, bySkill, artifacts, validated, failures };
}

/** A generated blueprint with `modules` modules, parsed. */
export function generatedBlueprintObject(modules: number): Blueprint {
  const result = parseBlueprint(generatedBlueprint(modules), 'application/yaml');
  if (!result.ok) throw new Error(`the generated ${modules}-module blueprint is invalid: ${JSON.stringify(result.problems.slice(0, 5))}`);
  return result.blueprint;
}

/** The SPEC §8 blueprint (`shared/blueprints/examples/vetclinic.yaml`), parsed. */
export function specBlueprintObject(): Blueprint {
  const result = parseBlueprint(readFileSync(path.resolve(__dirname, '..', '..', 'shared', 'blueprints', 'examples', 'vetclinic.yaml'), 'utf8'));
  if (!result.ok) throw new Error(`the SPEC blueprint is invalid: ${JSON.stringify(result.problems.slice(0, 5))}`);
  return result.blueprint;
}
