import { BUILTIN_SKILLS, skillKey } from '../skills/registry';
import type { Skill } from '../skills/types';
import { elapsedMs, ModelProviderError, type ModelProvider, type ModelRequest, type ModelRun } from './modelProvider';

/** Finds a built-in skill by address (`backend-developer/GenerateService`) or bare name (`GenerateService`). */
export type SkillLookup = (skill: string) => Skill | undefined;

/**
 * The `builtin` provider: runs the deterministic skill itself. Usage is model `builtin`, zero tokens;
 * the skill's own output validation (`SkillValidationError`) propagates unchanged.
 */
export class BuiltinModelProvider implements ModelProvider {
  readonly name = 'builtin' as const;
  private readonly lookup: SkillLookup;

  /** `skills`: the built-in skills (default: the skills registry), or a lookup over them. */
  constructor(skills: Iterable<Skill> | SkillLookup = BUILTIN_SKILLS) {
    this.lookup = typeof skills === 'function' ? skills : toLookup([...skills]);
  }

  /** True when the skill exists. */
  has(skill: string): boolean {
    return this.lookup(skill) !== undefined;
  }

  async run(request: ModelRequest): Promise<ModelRun> {
    const skill = this.lookup(request.skill);
    if (!skill) throw new ModelProviderError('UnknownSkill', 'builtin', request.skill, `There is no built-in skill '${request.skill}'.`);
    const started = performance.now();
    const result = await skill.run(request.input);
    return { result, usage: { provider: 'builtin', model: 'builtin', tokensIn: 0, tokensOut: 0, durationMs: elapsedMs(started) } };
  }
}

/** An address must match role and name; a bare name matches the skill of that name (names are unique across roles). */
function toLookup(skills: readonly Skill[]): SkillLookup {
  const byKey = new Map(skills.map((skill) => [skillKey(skill), skill]));
  const byName = new Map(skills.map((skill) => [skill.name, skill]));
  return (skill) => (skill.includes('/') ? byKey.get(skill) : byName.get(skill));
}
