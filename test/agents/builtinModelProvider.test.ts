import { BuiltinModelProvider } from '../../shared/agents/builtinModelProvider';
import { ModelProviderError } from '../../shared/agents/modelProvider';
import { getAgent } from '../../shared/agents/registry';
import { findSkill } from '../../shared/skills/registry';
import { exampleText, validBlueprint } from '../blueprints/support';

describe('BuiltinModelProvider over the skills registry', () => {
  const blueprint = validBlueprint(exampleText('vetclinic.yaml'));
  const input = { blueprint, module: 'BookingService', artifacts: [] };
  const policy = getAgent('api-designer-1').modelPolicy;
  const provider = new BuiltinModelProvider();

  it('runs the registered skill and reports builtin usage without tokens', async () => {
    const run = await provider.run({ skill: 'api-designer/EmitOpenApiContract', agentId: 'api-designer-1', input, policy });
    expect(run.result).toEqual(await findSkill('api-designer', 'EmitOpenApiContract')!.run(input));
    expect(run.result.artifacts.map((artifact) => artifact.name)).toEqual(['booking-service/openapi.yaml']);
    expect(run.usage).toEqual({ provider: 'builtin', model: 'builtin', tokensIn: 0, tokensOut: 0, durationMs: expect.any(Number) });
    expect(run.fallback).toBeUndefined();
  });

  it('gives byte-identical artifacts for the same input, whichever agent of the role runs it', async () => {
    const visionPolicy = getAgent('vision-architect-1').modelPolicy;
    const first = await provider.run({ skill: 'DraftVisionDocument', agentId: 'vision-architect-1', input: { blueprint, artifacts: [] }, policy: visionPolicy });
    const second = await provider.run({ skill: 'vision-architect/DraftVisionDocument', agentId: 'vision-architect-2', input: { blueprint, artifacts: [] }, policy: visionPolicy });
    expect(first.result.artifacts.map((artifact) => artifact.name)).toEqual(['docs/vision.md']);
    expect(second.result).toEqual(first.result);
  });

  it('fails clearly for a skill it does not have, or a skill addressed under another role', async () => {
    for (const skill of ['NoSuchSkill', 'backend-developer/EmitOpenApiContract']) {
      await expect(provider.run({ skill, agentId: 'backend-developer-1', input, policy })).rejects.toThrow(new ModelProviderError('UnknownSkill', 'builtin', skill, `There is no built-in skill '${skill}'.`));
    }
  });
});
