import type { ChatCompletionMessageParam } from 'openai/resources/chat/completions';
import type { BlueprintModule } from '../blueprints/schemas';
import { canonicalJson } from '../platform/canonicalJson';
import { kebabCase } from '../skills/naming';
import type { SkillInput } from '../skills/types';
import type { SkillBrief } from './skillBriefs';

/**
 * The messages for one skill: a fixed system message (agent, skill instructions, output rules) and
 * the input as canonical JSON — the module (or, for project skills, the blueprint spec) and the names
 * of earlier artifacts. Same request, same prompt.
 */
export function toPromptMessages(request: { skillName: string; agentId: string; input: SkillInput; brief: SkillBrief; module?: BlueprintModule }): ChatCompletionMessageParam[] {
  const { skillName, agentId, input, brief, module } = request;
  const name = brief.name.replace('{module}', module ? kebabCase(module.name) : '');
  const naming = module ? `Name artifacts like "${name}", always under "${kebabCase(module.name)}/".` : `Name the artifact "${name}".`;
  const system = [
    `You are ${agentId}, an agent of a software factory, running the skill ${skillName}.`,
    brief.instructions,
    `Reply with JSON only: {"artifacts":[{"name","kind":"${brief.kind}","contentType":"${brief.contentType}","content"}]}, content being the whole file. ${naming}`,
  ].join('\n');
  const earlier = input.artifacts.map((artifact) => ({ name: artifact.name, kind: artifact.kind }));
  const subject = module
    ? { blueprint: input.blueprint.metadata.name, environments: input.blueprint.spec.environments, module, earlierArtifacts: earlier }
    : { blueprint: input.blueprint.metadata, spec: input.blueprint.spec, earlierArtifacts: earlier };
  return [
    { role: 'system', content: system },
    { role: 'user', content: canonicalJson(subject) },
  ];
}

/** The message that sends a reply's validation errors back for the one retry. */
export function toRetryMessage(errors: readonly string[]): string {
  return `Your reply was invalid:\n${errors.map((error) => `- ${error}`).join('\n')}\nReply again with the whole corrected JSON object.`;
}
