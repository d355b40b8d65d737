import { parse } from 'yaml';
import { emitOpenApiContract } from '../../shared/skills/openapi/emitOpenApiContract';
import { artifactContentHash, toArtifactMetadata } from '../../shared/skills/metadata';
import { BUILTIN_SKILLS, findSkill, skillKey, skillsOf } from '../../shared/skills/registry';
import { SkillValidationError } from '../../shared/skills/types';
import { BLUEPRINT_FILES, blueprintText, hashes, loadBlueprint, parsed, runAllSkills, type BlueprintName } from './skillFixtures';

const NAMES = Object.keys(BLUEPRINT_FILES) as BlueprintName[];

/** The same data with every mapping's keys in reverse order (and as JSON): the same blueprint version. */
function reordered(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(reordered);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(Object.keys(value).reverse().map((key) => [key, reordered((value as Record<string, unknown>)[key])]));
}

describe.each(NAMES)('built-in skills on %s', (name) => {
  test('every skill passes its own output validation and every artifact is named once', async () => {
    const blueprint = loadBlueprint(name);
    const artifacts = await runAllSkills(blueprint);
    const names = artifacts.map((artifact) => artifact.name);
    expect(new Set(names).size).toBe(names.length);
    expect(names).toEqual(expect.arrayContaining(['docs/vision.md', 'docs/architecture.md', 'release/manifest.json']));
    for (const module of blueprint.spec.modules) {
      const kinds = new Set(artifacts.filter((artifact) => artifact.module === module.name).map((artifact) => artifact.kind));
      expect([...kinds].sort()).toEqual(expect.arrayContaining(['bicep', 'k8s-manifests', 'openapi-contract', 'pipeline']));
    }
    for (const artifact of artifacts) {
      expect(artifact.content.length).toBeGreaterThan(0);
      expect(artifact.inputs).toContain('blueprint');
      expect(artifact.content).not.toMatch(/undefined|\[object Object\]/);
    }
  });

  test('running every skill twice gives byte-identical artifacts', async () => {
    const first = hashes(await runAllSkills(loadBlueprint(name)));
    const second = hashes(await runAllSkills(loadBlueprint(name)));
    expect(second).toEqual(first);
  });

  test('the same blueprint written with other key order, as JSON, gives the same bytes', async () => {
    const document = parsed(blueprintText(name));
    const original = hashes(await runAllSkills(document));
    const json = JSON.stringify(reordered(parse(blueprintText(name))));
    expect(json).not.toBe(JSON.stringify(parse(blueprintText(name))));
    expect(hashes(await runAllSkills(parsed(json, 'application/json')))).toEqual(original);
  });
});

describe('skill contract', () => {
  test('a per-module skill without or with an unknown module throws SkillValidationError naming the problem', async () => {
    const blueprint = loadBlueprint('vetclinic');
    await expect(Promise.resolve().then(() => emitOpenApiContract.run({ blueprint, artifacts: [] }))).rejects.toThrow(SkillValidationError);
    await expect(Promise.resolve().then(() => emitOpenApiContract.run({ blueprint, module: 'Nope', artifacts: [] }))).rejects.toThrow(/module 'Nope' is not in blueprint 'vetclinic'/);
  });

  test('artifact metadata carries the SPEC §7 fields, the content hash computed from the content', async () => {
    const blueprint = loadBlueprint('vetclinic');
    const [artifact] = (await emitOpenApiContract.run({ blueprint, module: 'BookingService', artifacts: [] })).artifacts;
    const metadata = toArtifactMetadata(emitOpenApiContract, artifact, { traceId: 't-1', projectId: 'p-1', version: 'bp-1', timestamp: '2025-01-31T00:00:00Z' });
    expect(metadata).toEqual({
      name: 'booking-service/openapi.yaml',
      kind: 'openapi-contract',
      module: 'BookingService',
      contentType: 'application/yaml',
      skill: 'EmitOpenApiContract',
      originatingAgent: 'api-designer',
      contentHash: artifactContentHash(artifact),
      inputs: ['blueprint'],
      traceId: 't-1',
      projectId: 'p-1',
      version: 'bp-1',
      timestamp: '2025-01-31T00:00:00Z',
    });
    expect(metadata.contentHash).toMatch(/^[0-9a-f]{64}$/);
  });

  test('the registry finds each built-in skill by role and name, keys are unique', () => {
    const keys = BUILTIN_SKILLS.map(skillKey);
    expect(new Set(keys).size).toBe(keys.length);
    expect(keys).toEqual(
      expect.arrayContaining([
        'vision-architect/DraftVisionDocument',
        'solution-architect/DesignArchitecture',
        'api-designer/EmitOpenApiContract',
        'event-driven-architect/DefineEventContracts',
        'cloud-provisioner/GenerateBicep',
        'infrastructure-engineer/CreateK8sManifests',
        'devops-engineer/GeneratePipeline',
        'release-manager/GenerateReleaseManifest',
      ]),
    );
    expect(findSkill('api-designer', 'EmitOpenApiContract')).toBe(emitOpenApiContract);
    expect(findSkill('api-designer', 'GenerateBicep')).toBeUndefined();
    expect(skillsOf('cloud-provisioner').map((skill) => skill.name)).toEqual(['GenerateBicep']);
  });
});
