import { designArchitecture } from './architecture/designArchitecture';
import { generateBicep } from './bicep/generateBicep';
import { defineEventContracts } from './events/defineEventContracts';
import { createK8sManifests } from './k8s/createK8sManifests';
import { emitOpenApiContract } from './openapi/emitOpenApiContract';
import { generatePipeline } from './pipeline/generatePipeline';
import { generateReleaseManifest } from './release/generateReleaseManifest';
import { generateServiceSkill } from './service';
import { generateTestsSkill } from './tests';
import type { Skill } from './types';
import { validateServiceSkill } from './validate';
import { draftVisionDocument } from './vision/draftVisionDocument';

/**
 * The built-in skills (the `builtin` model provider of SPEC §4), addressed as `agentRole/name`, in
 * workflow order (ProjectBootstrap, then MicroserviceAssembly, then Release).
 *
 * To add a skill: export a `Skill` from its own folder (`service/`, `tests/`, `validate/`, …) and
 * list it here in its workflow position — GenerateService, GenerateTests and ValidateService go
 * between `defineEventContracts` and `generateBicep`. Nothing else needs registering: the workflow
 * engine and `GET /api/agents` read this list through `findSkill` / `skillsOf`.
 */
export const BUILTIN_SKILLS: readonly Skill[] = [
  draftVisionDocument,
  designArchitecture,
  emitOpenApiContract,
  defineEventContracts,
  generateServiceSkill,
  generateTestsSkill,
  validateServiceSkill,
  generateBicep,
  createK8sManifests,
  generatePipeline,
  generateReleaseManifest,
];

/** `api-designer/EmitOpenApiContract`: how agent tasks and workflows name a skill. */
export function skillKey(skill: Pick<Skill, 'agentRole' | 'name'>): string {
  return `${skill.agentRole}/${skill.name}`;
}

/** The built-in skill of an agent role by name, or undefined. */
export function findSkill(agentRole: string, name: string, skills: readonly Skill[] = BUILTIN_SKILLS): Skill | undefined {
  return skills.find((skill) => skill.agentRole === agentRole && skill.name === name);
}

/** The skills an agent role offers, in workflow order. */
export function skillsOf(agentRole: string, skills: readonly Skill[] = BUILTIN_SKILLS): Skill[] {
  return skills.filter((skill) => skill.agentRole === agentRole);
}
