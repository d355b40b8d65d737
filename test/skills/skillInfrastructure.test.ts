import { parse, parseAllDocuments } from 'yaml';
import type { SkillArtifact } from '../../shared/skills/types';
import { artifactNamed, loadBlueprint, runAllSkills } from './skillFixtures';

type Manifest = { kind: string; metadata: { name: string }; spec?: Record<string, unknown>; data?: Record<string, string> };

function manifests(artifact: SkillArtifact): Manifest[] {
  return parseAllDocuments(artifact.content).map((document) => document.toJS() as Manifest);
}

describe('infrastructure skills', () => {
  let vetclinic: SkillArtifact[];
  let shop: SkillArtifact[];
  let reminders: SkillArtifact[];
  beforeAll(async () => {
    [vetclinic, shop, reminders] = await Promise.all([runAllSkills(loadBlueprint('vetclinic')), runAllSkills(loadBlueprint('shop')), runAllSkills(loadBlueprint('reminders'))]);
  });

  test('Bicep: a Container App with Cosmos (partition /id), Service Bus topics, subscriptions and roles, no keys', () => {
    const bicep = artifactNamed(vetclinic, 'booking-service/infra/main.bicep').content;
    expect(bicep).toContain("resource app 'Microsoft.App/containerApps@");
    expect(bicep).toContain('managedEnvironmentId: managedEnvironmentId');
    expect(bicep).toMatch(/name: 'appointments'[\s\S]*paths: \[\n\s+'\/partitionKey'\n/);
    expect(bicep).toContain("name: 'appointment-booked-v1'");
    expect(bicep).toMatch(/parent: topicPaymentReceivedV2\n {2}name: 'booking-service'/);
    expect(bicep).toContain('sqlRoleDefinitions/00000000-0000-0000-0000-000000000002');
    expect(bicep).toContain('resource serviceBusSender ');
    expect(bicep).toContain('resource serviceBusReceiver ');
    expect(bicep).toMatch(/minReplicas: 1\n\s+maxReplicas: 10/);
    expect(bicep).not.toMatch(/listKeys|AccountKey|SharedAccessKey/);
    expect(bicep).toContain("roleDefinitions', '7f951dda-4ed3-4680-a7ca-43fe172d538d')");
    expect(bicep).toMatch(/registries: \[\n\s+\{\n\s+server: registry.properties.loginServer\n\s+identity: identity.id/);
    const worker = artifactNamed(vetclinic, 'notification-service/infra/main.bicep').content;
    expect(worker).not.toContain('ingress');
    expect(worker).toContain('resource serviceBusSender ');
  });

  test('Bicep: a function module is a Flex Consumption Function App with identity-based storage; a work queue when it consumes no events', () => {
    const bicep = artifactNamed(reminders, 'reminder-scheduler/infra/main.bicep').content;
    expect(bicep).toContain("tier: 'FlexConsumption'");
    expect(bicep).toContain("kind: 'functionapp,linux'");
    expect(bicep).toContain("name: 'AzureWebJobsStorage__credential'");
    expect(bicep).toContain('maximumInstanceCount: 40');
    expect(bicep).toContain("name: 'EnableServerless'");
    expect(bicep).not.toContain('containerImage');
    const digest = artifactNamed(reminders, 'digest-mailer/infra/main.bicep').content;
    expect(digest).toContain("name: 'digest-mailer-work'");
    expect(digest).not.toContain('cosmosAccount');
  });

  test('K8s: one KEDA ScaledObject for cpu/memory/queue triggers, an HTTPScaledObject for http, labels and selectors agree', () => {
    const order = manifests(artifactNamed(shop, 'order-service/k8s/manifests.yaml'));
    expect(order.map((manifest) => manifest.kind)).toEqual(['ServiceAccount', 'ConfigMap', 'Deployment', 'Service', 'ScaledObject']);
    const scaled = order[4].spec as { minReplicaCount: number; maxReplicaCount: number; triggers: { type: string; metricType: string; metadata: { value: string } }[] };
    expect([scaled.minReplicaCount, scaled.maxReplicaCount]).toEqual([2, 8]);
    expect(scaled.triggers.map((trigger) => [trigger.type, trigger.metricType, trigger.metadata.value])).toEqual([['cpu', 'Utilization', '70'], ['memory', 'Utilization', '80']]);
    const deployment = order[2].spec as { selector: { matchLabels: Record<string, string> }; template: { metadata: { labels: Record<string, string> } } };
    for (const [key, value] of Object.entries(deployment.selector.matchLabels)) expect(deployment.template.metadata.labels[key]).toBe(value);
    expect(order[1].data).toMatchObject({ MODULE_NAME: 'OrderService', RETRY_MAX_ATTEMPTS: '4', TIMEOUT_SECONDS: '10', SERVICEBUS_TOPICS: 'order-cancelled-v1,order-placed-v1' });

    const scheduler = manifests(artifactNamed(reminders, 'reminder-scheduler/k8s/manifests.yaml'));
    const schedulerScaling = scheduler.find((manifest) => manifest.kind === 'ScaledObject')!.spec as { minReplicaCount: number; maxReplicaCount: number; triggers: { type: string; metadata: Record<string, string> }[] };
    expect([schedulerScaling.minReplicaCount, schedulerScaling.maxReplicaCount]).toEqual([0, 20]);
    expect(schedulerScaling.triggers).toEqual([expect.objectContaining({ type: 'azure-servicebus', metadata: expect.objectContaining({ topicName: 'calendar-synced-v1', subscriptionName: 'reminder-scheduler', messageCount: '50' }) })]);
    const digest = manifests(artifactNamed(reminders, 'digest-mailer/k8s/manifests.yaml')).find((manifest) => manifest.kind === 'ScaledObject')!.spec as { triggers: { metadata: Record<string, string> }[] };
    expect(digest.triggers[0].metadata.queueName).toBe('digest-mailer-work');

    const gateway = manifests(artifactNamed(shop, 'storefront-gateway/k8s/manifests.yaml'));
    const httpScaling = gateway.find((manifest) => manifest.kind === 'HTTPScaledObject')!;
    expect(httpScaling.spec).toMatchObject({
      scaleTargetRef: { kind: 'Deployment', name: 'storefront-gateway', service: 'storefront-gateway', port: 80 },
      replicas: { min: 2, max: 6 },
      scalingMetric: { concurrency: { targetValue: 100 } },
    });
    expect(gateway.some((manifest) => manifest.kind === 'ScaledObject' || manifest.kind === 'HorizontalPodAutoscaler')).toBe(false);
  });

  test('Pipeline: pinned multi-stage Dockerfile as USER node, workflows with node --test, a pushed image and one gated deploy of its digest per environment', () => {
    const dockerfile = artifactNamed(shop, 'payment-service/Dockerfile').content;
    expect(dockerfile.match(/^FROM node:20\.19\.5-bookworm-slim/gm)).toHaveLength(2);
    expect(dockerfile).toMatch(/^USER node$/m);
    expect(dockerfile).toMatch(/^HEALTHCHECK .*\/health\/live/m);
    const workflow = parse(artifactNamed(shop, '.github/workflows/payment-service.yml').content) as {
      jobs: Record<string, { needs?: string[]; environment?: string; outputs?: Record<string, string>; env?: Record<string, string>; steps: { run?: string }[] }>;
    };
    expect(Object.keys(workflow.jobs)).toEqual(['build', 'image', 'deploy-dev', 'deploy-staging', 'deploy-production']);
    expect(workflow.jobs['deploy-production']).toMatchObject({ needs: ['deploy-staging', 'image'], environment: 'production', env: { IMAGE_DIGEST: '${{ needs.image.outputs.digest }}' } });
    expect(workflow.jobs.image.outputs).toEqual({ digest: '${{ steps.push.outputs.digest }}' });
    expect(workflow.jobs.image.steps.map((step) => step.run ?? '').join('\n')).toMatch(/docker push[\s\S]*RepoDigests/);
    expect(workflow.jobs['deploy-dev'].steps.map((step) => step.run ?? '').join('\n')).toContain('containerImage=${REGISTRY}/shop/payment-service@${IMAGE_DIGEST} containerRegistryName=${REGISTRY%%.*}');
    const azure = parse(artifactNamed(reminders, 'reminder-scheduler/azure-pipelines.yml').content) as { stages: { stage: string; dependsOn?: string | string[] }[] };
    expect(azure.stages.map((stage) => [stage.stage, stage.dependsOn])).toEqual([['Build', undefined], ['Deploy_dev', 'Build'], ['Deploy_production', ['Deploy_dev', 'Build']]]);
  });

  test('Release manifest: modules with versions and artifact hashes, environments in order with their approvals', () => {
    const manifest = JSON.parse(artifactNamed(shop, 'release/manifest.json').content);
    expect(manifest.environments).toEqual([
      { name: 'dev', order: 1, approvals: [] },
      { name: 'staging', order: 2, approvals: ['Developer'] },
      { name: 'production', order: 3, approvals: ['ReleaseManager', 'Approver'] },
    ]);
    expect(manifest.modules.map((module: { name: string }) => module.name)).toEqual(['StorefrontGateway', 'OrderService', 'PaymentService', 'ShippingService']);
    for (const module of manifest.modules) expect(module.version).toMatch(/^0\.1\.0\+[0-9a-f]{12}$/);
    expect(manifest.projectArtifacts.map((artifact: { name: string }) => artifact.name)).toEqual(['docs/architecture.md', 'docs/vision.md']);
  });

  test('Vision and architecture: derived risks and questions, diagrams naming every module and event', () => {
    const vision = artifactNamed(reminders, 'docs/vision.md').content;
    expect(vision).toContain('ReminderScheduler consumes CalendarSynced.v1 from outside the blueprint');
    expect(vision).toContain('Releases reach production without an approval');
    expect(vision).toContain('No monthly budget');
    expect(vision).toContain('ReminderScheduler serves an API but scales to zero');
    const architecture = artifactNamed(shop, 'docs/architecture.md').content;
    expect(architecture).toContain('  PaymentService -->|PaymentCaptured.v1| ShippingService');
    expect(architecture).toContain('  StorefrontGateway --> OrderService');
    expect(architecture).toContain('| PaymentFailed.v1 | PaymentService | — |');
  });
});
