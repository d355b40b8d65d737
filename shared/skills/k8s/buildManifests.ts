import type { Blueprint, BlueprintModule } from '../../blueprints/schemas';
import { queueScaleTargets } from '../bicep/dataResources';
import { scalingOf, SERVICE_PORT, sizingOf, staticSettingsOf } from '../infrastructurePlan';
import { kebabCase } from '../naming';

/** Tokens the deploy job replaces per environment (`sed`), so the manifests stay environment-free. */
export const K8S_PLACEHOLDERS = {
  imageTag: '__IMAGE_TAG__',
  azureClientId: '__AZURE_CLIENT_ID__',
  serviceBusNamespace: '__SERVICEBUS_NAMESPACE__',
} as const;

type Manifest = Record<string, unknown>;

function labelsOf(blueprint: Blueprint, module: BlueprintModule) {
  return {
    'app.kubernetes.io/name': kebabCase(module.name),
    'app.kubernetes.io/part-of': blueprint.metadata.name,
    'app.kubernetes.io/component': module.kind,
    'app.kubernetes.io/managed-by': 'software-factory',
  };
}

function deployment(blueprint: Blueprint, module: BlueprintModule, name: string, fixedReplicas: number | undefined): Manifest {
  const labels = labelsOf(blueprint, module);
  const sizing = sizingOf(blueprint);
  const probe = (path: string, periodSeconds: number) => ({ httpGet: { path, port: 'http' }, periodSeconds, timeoutSeconds: 2, failureThreshold: 3 });
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, labels },
    spec: {
      ...(fixedReplicas === undefined ? {} : { replicas: fixedReplicas }),
      selector: { matchLabels: { 'app.kubernetes.io/name': name } },
      template: {
        metadata: { labels: { ...labels, 'azure.workload.identity/use': 'true' } },
        spec: {
          serviceAccountName: name,
          automountServiceAccountToken: true,
          securityContext: { runAsNonRoot: true, runAsUser: 1000, runAsGroup: 1000, fsGroup: 1000, seccompProfile: { type: 'RuntimeDefault' } },
          containers: [
            {
              name,
              image: `${blueprint.metadata.name}/${name}:${K8S_PLACEHOLDERS.imageTag}`,
              ports: [{ name: 'http', containerPort: SERVICE_PORT }],
              envFrom: [{ configMapRef: { name } }, { configMapRef: { name: `${name}-environment`, optional: true } }],
              resources: {
                requests: { cpu: `${sizing.millicores}m`, memory: `${sizing.memoryMi}Mi` },
                limits: { cpu: `${sizing.millicores * 2}m`, memory: `${sizing.memoryMi}Mi` },
              },
              livenessProbe: probe('/health/live', 10),
              readinessProbe: probe('/health/ready', 5),
              securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } },
              volumeMounts: [{ name: 'tmp', mountPath: '/tmp' }],
            },
          ],
          volumes: [{ name: 'tmp', emptyDir: {} }],
        },
      },
    },
  };
}

function autoscaler(blueprint: Blueprint, module: BlueprintModule, name: string): Manifest[] {
  const scaling = scalingOf(module);
  const labels = labelsOf(blueprint, module);
  const resourceTriggers = scaling.triggers.filter((trigger) => trigger.type === 'cpu' || trigger.type === 'memory');
  const queueTargets = queueScaleTargets(blueprint, module);
  const skipped = [...new Set(scaling.triggers.filter((trigger) => trigger.type === 'http' || (trigger.type === 'queue' && !queueTargets.length)).map((trigger) => trigger.type))];
  const notes = skipped.length ? { 'factory.dev/unmapped-triggers': skipped.join(',') } : {};
  const scaleTargetRef = { apiVersion: 'apps/v1', kind: 'Deployment', name };
  if (queueTargets.length) {
    const auth = `${name}-servicebus`;
    return [
      { apiVersion: 'keda.sh/v1alpha1', kind: 'TriggerAuthentication', metadata: { name: auth, labels }, spec: { podIdentity: { provider: 'azure-workload', identityId: K8S_PLACEHOLDERS.azureClientId } } },
      {
        apiVersion: 'keda.sh/v1alpha1',
        kind: 'ScaledObject',
        metadata: { name, labels, ...(skipped.length ? { annotations: notes } : {}) },
        spec: {
          scaleTargetRef,
          minReplicaCount: scaling.minReplicas,
          maxReplicaCount: scaling.maxReplicas,
          triggers: [
            ...resourceTriggers.map((trigger) => ({ type: trigger.type, metricType: 'Utilization', metadata: { value: String(trigger.threshold) } })),
            ...queueTargets.map((target) => ({
              type: 'azure-servicebus',
              name: target.name,
              metadata: { namespace: K8S_PLACEHOLDERS.serviceBusNamespace, ...Object.fromEntries(target.metadata) },
              authenticationRef: { name: auth },
            })),
          ],
        },
      },
    ];
  }
  const metrics = (resourceTriggers.length ? resourceTriggers : [{ type: 'cpu' as const, threshold: 80 }]).map((trigger) => ({
    type: 'Resource',
    resource: { name: trigger.type, target: { type: 'Utilization', averageUtilization: Math.round(trigger.threshold) } },
  }));
  const minReplicas = Math.max(1, scaling.minReplicas);
  const annotations = {
    ...notes,
    ...(resourceTriggers.length ? {} : { 'factory.dev/default-metric': 'cpu-80' }),
    ...(minReplicas !== scaling.minReplicas ? { 'factory.dev/min-replicas-raised': `${scaling.minReplicas}->1 (HPA cannot scale to zero)` } : {}),
  };
  return [
    {
      apiVersion: 'autoscaling/v2',
      kind: 'HorizontalPodAutoscaler',
      metadata: { name, labels, ...(Object.keys(annotations).length ? { annotations } : {}) },
      spec: { scaleTargetRef, minReplicas, maxReplicas: Math.max(minReplicas, scaling.maxReplicas), metrics },
    },
  ];
}

/**
 * The Kubernetes manifests of a module, in apply order: ServiceAccount (workload identity),
 * ConfigMap (the static settings), Deployment, Service (not for workers), and an HPA (cpu/memory) or
 * a KEDA ScaledObject (when a queue trigger has a Service Bus entity to watch). No scaling in the
 * blueprint → one fixed replica and no autoscaler.
 */
export function toManifests(blueprint: Blueprint, module: BlueprintModule): Manifest[] {
  const name = kebabCase(module.name);
  const labels = labelsOf(blueprint, module);
  const scaled = module.scaling !== undefined;
  const documents: Manifest[] = [
    { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name, labels: { ...labels, 'azure.workload.identity/use': 'true' }, annotations: { 'azure.workload.identity/client-id': K8S_PLACEHOLDERS.azureClientId } } },
    { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, labels }, data: Object.fromEntries(staticSettingsOf(blueprint, module)) },
    deployment(blueprint, module, name, scaled ? undefined : 1),
  ];
  if (module.kind !== 'worker') {
    documents.push({
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name, labels },
      spec: { type: 'ClusterIP', selector: { 'app.kubernetes.io/name': name }, ports: [{ name: 'http', port: 80, targetPort: 'http' }] },
    });
  }
  if (scaled) documents.push(...autoscaler(blueprint, module, name));
  return documents;
}
