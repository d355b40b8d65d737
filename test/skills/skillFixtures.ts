import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseBlueprint, type Blueprint } from '../../shared/blueprints';
import { designArchitecture } from '../../shared/skills/architecture/designArchitecture';
import { generateBicep } from '../../shared/skills/bicep/generateBicep';
import { defineEventContracts } from '../../shared/skills/events/defineEventContracts';
import { createK8sManifests } from '../../shared/skills/k8s/createK8sManifests';
import { emitOpenApiContract } from '../../shared/skills/openapi/emitOpenApiContract';
import { generatePipeline } from '../../shared/skills/pipeline/generatePipeline';
import { generateReleaseManifest } from '../../shared/skills/release/generateReleaseManifest';
import type { Skill, SkillArtifact } from '../../shared/skills/types';
import { draftVisionDocument } from '../../shared/skills/vision/draftVisionDocument';

const sourceRoot = path.resolve(__dirname, '../../..');

/** The three blueprints the skill tests run on: SPEC §8 completed, three modules with events, functions with KEDA. */
export const BLUEPRINT_FILES = {
  vetclinic: 'shared/blueprints/examples/vetclinic.yaml',
  shop: 'shared/skills/examples/shop.yaml',
  reminders: 'shared/skills/examples/reminders.yaml',
} as const;

export type BlueprintName = keyof typeof BLUEPRINT_FILES;

export function blueprintText(name: BlueprintName): string {
  return readFileSync(path.join(sourceRoot, BLUEPRINT_FILES[name]), 'utf8');
}

export function loadBlueprint(name: BlueprintName): Blueprint {
  return parsed(blueprintText(name));
}

export function parsed(text: string, contentType?: string): Blueprint {
  const result = parseBlueprint(text, contentType);
  if (!result.ok) throw new Error(JSON.stringify(result.problems, null, 2));
  return result.blueprint;
}

const PER_MODULE: Skill[] = [emitOpenApiContract, defineEventContracts, generateBicep, createK8sManifests, generatePipeline];

/** Every skill of this folder over a blueprint, in workflow order, the release manifest last. */
export async function runAllSkills(blueprint: Blueprint): Promise<SkillArtifact[]> {
  const artifacts: SkillArtifact[] = [];
  for (const skill of [draftVisionDocument, designArchitecture]) artifacts.push(...(await skill.run({ blueprint, artifacts: [...artifacts] })).artifacts);
  for (const module of blueprint.spec.modules) {
    for (const skill of PER_MODULE) artifacts.push(...(await skill.run({ blueprint, module: module.name, artifacts: [...artifacts] })).artifacts);
  }
  artifacts.push(...(await generateReleaseManifest.run({ blueprint, artifacts: [...artifacts] })).artifacts);
  return artifacts;
}

/** name → sha256 of content, for byte-identity comparisons. */
export function hashes(artifacts: readonly SkillArtifact[]): Record<string, string> {
  return Object.fromEntries(artifacts.map((artifact) => [artifact.name, createHash('sha256').update(artifact.content, 'utf8').digest('hex')]));
}

export function artifactNamed(artifacts: readonly SkillArtifact[], name: string): SkillArtifact {
  const found = artifacts.find((artifact) => artifact.name === name);
  if (!found) throw new Error(`no artifact ${name}; have ${artifacts.map((artifact) => artifact.name).join(', ')}`);
  return found;
}
