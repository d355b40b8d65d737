import { AGENTS, agentsFor, findAgent, getAgent, nextAgent, roleForSkill } from '../../shared/agents/registry';
import { AGENT_ROLES, agentView } from '../../shared/agents/schemas';
import { BUILTIN_SKILLS, skillKey } from '../../shared/skills/registry';

describe('agent registry', () => {
  it('has at least two agents of every role, each valid by the published schema', () => {
    for (const role of AGENT_ROLES) expect([role, agentsFor(role).length >= 2]).toEqual([role, true]);
    for (const agent of AGENTS) expect(agentView.parse(agent)).toEqual(agent);
  });

  it('gives every SPEC §6 skill to exactly one role', () => {
    const skills = AGENT_ROLES.flatMap((role) => agentsFor(role)[0].skills.map((skill) => `${role}/${skill}`));
    expect(skills).toEqual([
      'vision-architect/DraftVisionDocument',
      'solution-architect/DesignArchitecture',
      'api-designer/EmitOpenApiContract',
      'event-driven-architect/DefineEventContracts',
      'backend-developer/GenerateService',
      'qa-engineer/GenerateTests',
      'qa-engineer/ValidateService',
      'cloud-provisioner/GenerateBicep',
      'infrastructure-engineer/CreateK8sManifests',
      'devops-engineer/GeneratePipeline',
      'release-manager/GenerateReleaseManifest',
    ]);
    expect(skills).toEqual(BUILTIN_SKILLS.map(skillKey));
    expect(roleForSkill('GenerateService')).toBe('backend-developer');
    expect(roleForSkill('qa-engineer/ValidateService')).toBe('qa-engineer');
    expect(roleForSkill('api-designer/GenerateService')).toBeUndefined();
  });

  it('reassigns a task to another agent of the role, wrapping around', () => {
    expect(nextAgent('backend-developer')?.agentId).toBe('backend-developer-1');
    expect(nextAgent('backend-developer', 'backend-developer-1')?.agentId).toBe('backend-developer-2');
    expect(nextAgent('backend-developer', 'backend-developer-2')?.agentId).toBe('backend-developer-1');
    expect(nextAgent('backend-developer', 'qa-engineer-1')?.agentId).toBe('backend-developer-1');
    expect(nextAgent('wizard')).toBeUndefined();
  });

  it('finds agents by id and refuses to let callers change them', () => {
    expect(findAgent('nobody-1')).toBeUndefined();
    expect(() => getAgent('nobody-1')).toThrow(expect.objectContaining({ status: 404, code: 'AgentNotFound' }));
    const agent = getAgent('release-manager-1');
    expect(() => agent.skills.push('Anything')).toThrow(/not extensible/);
    expect(getAgent('release-manager-1').skills).toEqual(['GenerateReleaseManifest']);
  });
});
