import type { Blueprint, BlueprintModule, ModuleScaling } from '../../blueprints/schemas';
import { queueScaleTargets } from '../bicep/dataResources';
import { scalingOf, SERVICE_PORT, sizingOf, staticSettingsOf } from '../infrastructurePlan';
import { kebabCase } from '../naming';

/** Tokens the deploy job replaces per environment (`sed`), so the manifests stay environment-free. */
export const K8S_PLACEHOLDERS = {
  imageTag: '__IMAGE_TAG__',
  azureClientId: '__AZURE_CLIENT_ID__',
  serviceBusNamespace: '__SERVICEBUS_NAMESPACE__',
  host: '__HOST__',
} as const;

/** The Service's port (it forwards to the container's `http` port). */
const SERVICE_HTTP_PORT = 80;

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

type Trigger = ModuleScaling['triggers'][number];
const KEDA = 'keda.sh/v1alpha1';

/** No triggers → an HPA on cpu 80%; `http` → a KEDA HTTP add-on HTTPScaledObject; others → one KEDA ScaledObject. */
function autoscaler(blueprint: Blueprint, module: BlueprintModule, name: string): Manifest[] {
  const scaling = scalingOf(module);
  if (!scaling.triggers.length) return [defaultHpa(blueprint, module, name, scaling)];
  const http = scaling.triggers.find((trigger) => trigger.type === 'http');
  if (http) return [httpScaledObject(blueprint, module, name, scaling, http.threshold)];
  return scaledObject(blueprint, module, name, scaling);
}

function defaultHpa(blueprint: Blueprint, module: BlueprintModule, name: string, scaling: ModuleScaling): Manifest {
  const minReplicas = Math.max(1, scaling.minReplicas);
  const annotations = { 'factory.dev/default-metric': 'cpu-80', ...raisedMinimum(scaling.minReplicas, minReplicas, 'an HPA') };
  return {
    apiVersion: 'autoscaling/v2',
    kind: 'HorizontalPodAutoscaler',
    metadata: { name, labels: labelsOf(blueprint, module), annotations },
    spec: {
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name },
      minReplicas,
      maxReplicas: Math.max(minReplicas, scaling.maxReplicas),
      metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 80 } } }],
    },
  };
}

function raisedMinimum(asked: number, given: number, why: string): Record<string, string> {
  return asked === given ? {} : { 'factory.dev/min-replicas-raised': `${asked}->${given} (${why} cannot scale to zero)` };
}

/** KEDA HTTP add-on (http.keda.sh/v1alpha1): concurrent requests per replica, through the module's Service. */
function httpScaledObject(blueprint: Blueprint, module: BlueprintModule, name: string, scaling: ModuleScaling, concurrency: number): Manifest {
  return {
    apiVersion: 'http.keda.sh/v1alpha1',
    kind: 'HTTPScaledObject',
    metadata: { name, labels: labelsOf(blueprint, module) },
    spec: {
      hosts: [K8S_PLACEHOLDERS.host],
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name, service: name, port: SERVICE_HTTP_PORT },
      replicas: { min: scaling.minReplicas, max: scaling.maxReplicas },
      scalingMetric: { concurrency: { targetValue: concurrency } },
    },
  };
}

/** One KEDA trigger per blueprint trigger; `queue` expands to the module's own Service Bus entities. */
function kedaTriggers(blueprint: Blueprint, module: BlueprintModule, trigger: Trigger, auth: string): Manifest[] {
  const serviceBus = (triggerName: string, metadata: [string, string][]) => ({
    type: 'azure-servicebus',
    name: triggerName,
    metadata: { namespace: K8S_PLACEHOLDERS.serviceBusNamespace, ...Object.fromEntries(metadata) },
    authenticationRef: { name: auth },
  });
  switch (trigger.type) {
    case 'cpu':
    case 'memory':
      return [{ type: trigger.type, metricType: 'Utilization', metadata: { value: String(Math.round(trigger.threshold)) } }];
    case 'queueLength':
      return [serviceBus(`queue-${trigger.queue.replace(/[^a-z0-9-]/gi, '-').toLowerCase()}`, [['queueName', trigger.queue], ['messageCount', String(trigger.threshold)]])];
    case 'queue':
      return queueScaleTargets(blueprint, module).map((target) => serviceBus(target.name, target.metadata));
    case 'http':
      return [];
  }
}

function scaledObject(blueprint: Blueprint, module: BlueprintModule, name: string, scaling: ModuleScaling): Manifest[] {
  const labels = labelsOf(blueprint, module);
  const auth = `${name}-servicebus`;
  const triggers = scaling.triggers.flatMap((trigger) => kedaTriggers(blueprint, module, trigger, auth));
  const usesAuth = triggers.some((trigger) => trigger.authenticationRef);
  // KEDA scales to zero only on event triggers; cpu and memory need a running pod to measure.
  const resourceOnly = triggers.every((trigger) => trigger.type === 'cpu' || trigger.type === 'memory');
  const minReplicaCount = resourceOnly ? Math.max(1, scaling.minReplicas) : scaling.minReplicas;
  const unmapped = scaling.triggers.filter((trigger) => !kedaTriggers(blueprint, module, trigger, auth).length).map((trigger) => trigger.type);
  const annotations = { ...raisedMinimum(scaling.minReplicas, minReplicaCount, 'cpu and memory scaling'), ...(unmapped.length ? { 'factory.dev/unmapped-triggers': unmapped.join(',') } : {}) };
  return [
    ...(usesAuth ? [{ apiVersion: KEDA, kind: 'TriggerAuthentication', metadata: { name: auth, labels }, spec: { podIdentity: { provider: 'azure-workload', identityId: K8S_PLACEHOLDERS.azureClientId } } }] : []),
    {
      apiVersion: KEDA,
      kind: 'ScaledObject',
      metadata: { name, labels, ...(Object.keys(annotations).length ? { annotations } : {}) },
      spec: {
        scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name },
        minReplicaCount,
        maxReplicaCount: Math.max(minReplicaCount, scaling.maxReplicas),
        triggers: triggers.length ? triggers : [{ type: 'cpu', metricType: 'Utilization', metadata: { value: '80' } }],
      },
    },
  ];
}

/**
 * The Kubernetes manifests of a module, in apply order: ServiceAccount (workload identity),
 * ConfigMap (the static settings), Deployment, Service (not for workers), and the autoscaler: a KEDA
 * ScaledObject for cpu, memory and Service Bus queue-length triggers (with its TriggerAuthentication
 * through workload identity), a KEDA HTTP add-on HTTPScaledObject for an http trigger, an HPA on
 * cpu 80% for scaling without triggers. No scaling in the blueprint → one fixed replica.
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
      spec: { type: 'ClusterIP', selector: { 'app.kubernetes.io/name': name }, ports: [{ name: 'http', port: SERVICE_HTTP_PORT, targetPort: 'http' }] },
    });
  }
  if (scaled) documents.push(...autoscaler(blueprint, module, name));
  return documents;
}
