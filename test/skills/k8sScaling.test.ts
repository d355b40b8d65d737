import { parseAllDocuments, stringify } from 'yaml';
import { validateBlueprint, type Blueprint } from '../../shared/blueprints';
import { toManifests } from '../../shared/skills/k8s/buildManifests';
import { validateManifestsText } from '../../shared/skills/k8s/validateManifests';
import { documentWith } from '../blueprints/support';

type Manifest = { kind: string; metadata: { name: string; annotations?: Record<string, string> }; spec: Record<string, unknown> };

function blueprintWith(module: object): Blueprint {
  const result = validateBlueprint(documentWith([{ name: 'LendingService', kind: 'microservice', ...module }]));
  if (!result.ok) throw new Error(JSON.stringify(result.problems));
  return result.blueprint;
}

function manifestsOf(blueprint: Blueprint): Manifest[] {
  return toManifests(blueprint, blueprint.spec.modules[0]) as Manifest[];
}

function text(manifests: readonly object[]): string {
  return manifests.map((manifest) => `---\n${stringify(manifest)}`).join('');
}

describe('Kubernetes manifests: KEDA scaling', () => {
  it('turns a named queue-length trigger into an azure-servicebus trigger on that queue, with workload-identity auth', () => {
    const blueprint = blueprintWith({
      infrastructure: { queue: 'azure-service-bus' },
      scaling: { minReplicas: 0, maxReplicas: 10, triggers: [{ type: 'queueLength', queue: 'lending-commands', threshold: 50 }, { type: 'cpu', threshold: 75 }] },
    });
    const manifests = manifestsOf(blueprint);
    expect(manifests.map((manifest) => manifest.kind)).toEqual(['ServiceAccount', 'ConfigMap', 'Deployment', 'Service', 'TriggerAuthentication', 'ScaledObject']);
    const scaled = manifests[5].spec as { minReplicaCount: number; triggers: { type: string; metadata: Record<string, string>; authenticationRef?: { name: string } }[] };
    expect(scaled.minReplicaCount).toBe(0);
    expect(scaled.triggers).toEqual([
      expect.objectContaining({ type: 'azure-servicebus', metadata: { namespace: '__SERVICEBUS_NAMESPACE__', queueName: 'lending-commands', messageCount: '50' }, authenticationRef: { name: 'lending-service-servicebus' } }),
      { type: 'cpu', metricType: 'Utilization', metadata: { value: '75' } },
    ]);
    expect(validateManifestsText(text(manifests))).toEqual([]);
  });

  it('keeps one replica running when only cpu or memory scale the module (KEDA cannot scale them to zero), and says so', () => {
    const manifests = manifestsOf(blueprintWith({ scaling: { minReplicas: 0, maxReplicas: 3, triggers: [{ type: 'memory', threshold: 60 }] } }));
    const scaled = manifests.find((manifest) => manifest.kind === 'ScaledObject')!;
    expect(scaled.spec.minReplicaCount).toBe(1);
    expect(scaled.metadata.annotations).toEqual({ 'factory.dev/min-replicas-raised': '0->1 (cpu and memory scaling cannot scale to zero)' });
    expect(manifests.some((manifest) => manifest.kind === 'TriggerAuthentication')).toBe(false);
    expect(validateManifestsText(text(manifests))).toEqual([]);
  });

  it('scales an http module with the KEDA HTTP add-on through its Service', () => {
    const manifests = manifestsOf(blueprintWith({ scaling: { minReplicas: 0, maxReplicas: 4, triggers: [{ type: 'http', threshold: 25 }] } }));
    const scaled = manifests.find((manifest) => manifest.kind === 'HTTPScaledObject')!;
    expect(scaled.spec).toMatchObject({ scaleTargetRef: { service: 'lending-service', port: 80 }, replicas: { min: 0, max: 4 }, scalingMetric: { concurrency: { targetValue: 25 } } });
    expect(validateManifestsText(text(manifests))).toEqual([]);
  });

  it('refuses ScaledObjects with incomplete triggers, undeclared auth, unknown kinds or scale-to-zero on cpu', () => {
    const manifests = manifestsOf(blueprintWith({
      infrastructure: { queue: 'azure-service-bus' },
      scaling: { minReplicas: 1, maxReplicas: 5, triggers: [{ type: 'queueLength', queue: 'lending-commands', threshold: 5 }] },
    })) as unknown as Record<string, any>[]; // eslint-disable-line @typescript-eslint/no-explicit-any
    const scaled = manifests.find((manifest) => manifest.kind === 'ScaledObject')!;
    delete scaled.spec.triggers[0].metadata.queueName;
    scaled.spec.triggers.push({ type: 'prometheus', metadata: {} }, { type: 'cpu', metadata: { value: '50' } });
    const withoutAuth = manifests.filter((manifest) => manifest.kind !== 'TriggerAuthentication');
    expect(validateManifestsText(text(withoutAuth))).toEqual(
      expect.arrayContaining([
        'ScaledObject lending-service: azure-servicebus trigger names neither a queue nor a topic and subscription',
        'ScaledObject lending-service: TriggerAuthentication lending-service-servicebus is not declared',
        'ScaledObject lending-service: trigger type prometheus is not one the factory generates (cpu, memory, azure-servicebus)',
        'ScaledObject lending-service: cpu trigger needs metricType Utilization and a positive value',
      ]),
    );
    const cpuOnly = manifestsOf(blueprintWith({ scaling: { minReplicas: 1, maxReplicas: 2, triggers: [{ type: 'cpu', threshold: 50 }] } })) as unknown as Record<string, any>[]; // eslint-disable-line @typescript-eslint/no-explicit-any
    cpuOnly.find((manifest) => manifest.kind === 'ScaledObject')!.spec.minReplicaCount = 0;
    expect(validateManifestsText(text(cpuOnly))).toContain('ScaledObject lending-service: cpu and memory triggers cannot scale to zero');
  });

  it('refuses names over 63 characters (Kubernetes DNS labels)', () => {
    const manifests = manifestsOf(blueprintWith({})) as unknown as { kind: string; metadata: { name: string } }[];
    const long = 'x'.repeat(64);
    manifests.find((manifest) => manifest.kind === 'ConfigMap')!.metadata.name = long;
    expect(validateManifestsText(text(manifests))).toContain(`ConfigMap ${long}: the name is not a DNS-1123 label of at most 63 characters`);
  });

  it('keeps every generated name within 63 characters for the longest module name validation accepts', () => {
    const longest = `L${'e'.repeat(50)}`; // kebab 51 + '-environment' = 63
    const result = validateBlueprint(documentWith([{ name: longest, kind: 'worker', scaling: { minReplicas: 1, maxReplicas: 2, triggers: [{ type: 'cpu', threshold: 50 }] } }]));
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const manifests = toManifests(result.blueprint, result.blueprint.spec.modules[0]);
    expect(validateManifestsText(text(manifests))).toEqual([]);
    const tooLong = validateBlueprint(documentWith([{ name: `${longest}e`, kind: 'worker' }]));
    expect(tooLong.ok).toBe(false);
    if (!tooLong.ok) expect(tooLong.problems).toContainEqual(expect.objectContaining({ path: 'spec.modules[0].name', code: 'NameTooLong' }));
    expect(parseAllDocuments(text(manifests)).length).toBeGreaterThan(3);
  });
});
