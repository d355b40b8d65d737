import { parseAllDocuments } from 'yaml';

type Doc = { apiVersion?: string; kind?: string; metadata?: { name?: string; labels?: Record<string, string> }; spec?: Record<string, unknown>; data?: Record<string, unknown> };
type Container = {
  image?: string;
  ports?: { name?: string; containerPort?: number }[];
  envFrom?: { configMapRef?: { name?: string; optional?: boolean } }[];
  resources?: { requests?: object; limits?: object };
  livenessProbe?: { httpGet?: { path?: string } };
  readinessProbe?: { httpGet?: { path?: string } };
};
type PodSpec = { serviceAccountName?: string; securityContext?: { runAsNonRoot?: boolean }; containers?: Container[] };

function isSubset(selector: Record<string, string> | undefined, labels: Record<string, string> | undefined): boolean {
  return !!selector && Object.keys(selector).length > 0 && Object.entries(selector).every(([key, value]) => labels?.[key] === value);
}

/**
 * Every failure of a multi-document manifest file: YAML errors, documents without apiVersion, kind
 * or name, duplicate names per kind, one Deployment whose selector matches its pod labels, probes
 * on `/health/live` and `/health/ready`, requests and limits, non-root pods, tagged images (never `latest`),
 * ConfigMaps and ServiceAccount present, Services selecting the pods on a declared port, names and
 * label values within Kubernetes' 63 characters, and one autoscaler (HPA, KEDA ScaledObject or
 * HTTPScaledObject) targeting the Deployment with min ≤ max, KEDA triggers complete.
 */
export function validateManifestsText(text: string): string[] {
  const parsed = parseAllDocuments(text);
  const failures = parsed.flatMap((document) => document.errors.map((error) => `YAML: ${error.message}`));
  if (failures.length) return failures;
  const docs = parsed.map((document) => document.toJS() as Doc);
  const byKind = new Map<string, Doc[]>();
  for (const doc of docs) {
    if (!doc?.apiVersion || !doc.kind || !doc.metadata?.name) {
      failures.push(`a document lacks apiVersion, kind or metadata.name`);
      continue;
    }
    const list = byKind.get(doc.kind) ?? [];
    if (list.some((other) => other.metadata?.name === doc.metadata?.name)) failures.push(`${doc.kind} ${doc.metadata.name} is declared twice`);
    byKind.set(doc.kind, [...list, doc]);
  }
  const deployments = byKind.get('Deployment') ?? [];
  if (deployments.length !== 1) return [...failures, `expected one Deployment, found ${deployments.length}`];
  const deployment = deployments[0];
  const name = deployment.metadata!.name!;
  const template = deployment.spec?.template as { metadata?: { labels?: Record<string, string> }; spec?: PodSpec } | undefined;
  const podLabels = template?.metadata?.labels;
  const selector = (deployment.spec?.selector as { matchLabels?: Record<string, string> } | undefined)?.matchLabels;
  if (!isSubset(selector, podLabels)) failures.push(`Deployment ${name}: selector does not match the pod labels`);
  failures.push(...podFailures(name, template?.spec, byKind));
  for (const service of byKind.get('Service') ?? []) {
    const spec = service.spec as { selector?: Record<string, string>; ports?: { targetPort?: string | number }[] };
    if (!isSubset(spec.selector, podLabels)) failures.push(`Service ${service.metadata!.name}: selector does not match the pods of Deployment ${name}`);
    const ports = template?.spec?.containers?.flatMap((container) => container.ports ?? []) ?? [];
    for (const port of spec.ports ?? []) {
      if (!ports.some((candidate) => candidate.name === port.targetPort || candidate.containerPort === port.targetPort)) failures.push(`Service ${service.metadata!.name}: targetPort ${String(port.targetPort)} is not a container port`);
    }
  }
  failures.push(...autoscalerFailures(name, byKind), ...nameFailures(docs));
  return failures;
}

function podFailures(name: string, pod: PodSpec | undefined, byKind: Map<string, Doc[]>): string[] {
  const failures: string[] = [];
  const names = (kind: string) => new Set((byKind.get(kind) ?? []).map((doc) => doc.metadata?.name));
  if (pod?.securityContext?.runAsNonRoot !== true) failures.push(`Deployment ${name}: pods must set runAsNonRoot`);
  if (pod?.serviceAccountName && !names('ServiceAccount').has(pod.serviceAccountName)) failures.push(`Deployment ${name}: ServiceAccount ${pod.serviceAccountName} is not declared`);
  if (!pod?.containers?.length) failures.push(`Deployment ${name}: no containers`);
  for (const container of pod?.containers ?? []) {
    const tag = /:([^/:@]+)$/.exec(container.image ?? '')?.[1];
    if (!tag || tag === 'latest') failures.push(`Deployment ${name}: image '${container.image}' must carry a tag other than latest`);
    if (container.livenessProbe?.httpGet?.path !== '/health/live') failures.push(`Deployment ${name}: liveness probe is not GET /health/live`);
    if (container.readinessProbe?.httpGet?.path !== '/health/ready') failures.push(`Deployment ${name}: readiness probe is not GET /health/ready`);
    if (!container.resources?.requests || !container.resources.limits) failures.push(`Deployment ${name}: resource requests and limits are required`);
    for (const source of container.envFrom ?? []) {
      const ref = source.configMapRef;
      if (ref?.name && !ref.optional && !names('ConfigMap').has(ref.name)) failures.push(`Deployment ${name}: ConfigMap ${ref.name} is not declared`);
    }
  }
  return failures;
}

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]{0,61})?[A-Za-z0-9])?$/;

/** Object names as DNS-1123 labels (63; Services and containers need it) and label values (63, Kubernetes "Labels and Selectors"). */
function nameFailures(docs: readonly Doc[]): string[] {
  const failures: string[] = [];
  for (const doc of docs) {
    const name = doc?.metadata?.name;
    if (name && !DNS_LABEL.test(name)) failures.push(`${doc.kind} ${name}: the name is not a DNS-1123 label of at most 63 characters`);
    for (const [key, value] of Object.entries(doc?.metadata?.labels ?? {})) {
      if (typeof value !== 'string' || !LABEL_VALUE.test(value)) failures.push(`${doc.kind} ${name}: label ${key}=${String(value)} is not a valid label value (63 characters at most)`);
    }
  }
  return failures;
}

type KedaTrigger = { type?: string; metricType?: string; metadata?: Record<string, string>; authenticationRef?: { name?: string } };
type ScalerSpec = {
  scaleTargetRef?: { kind?: string; name?: string; service?: string };
  minReplicas?: number;
  maxReplicas?: number;
  minReplicaCount?: number;
  maxReplicaCount?: number;
  replicas?: { min?: number; max?: number };
  triggers?: KedaTrigger[];
  scalingMetric?: { concurrency?: { targetValue?: number } };
};

const KEDA_TRIGGER_TYPES = new Set(['cpu', 'memory', 'azure-servicebus']);

/** The ScaledObject's triggers: known kinds, each with the metadata KEDA requires, and scale-to-zero only on event triggers. */
function kedaFailures(where: string, spec: ScalerSpec, min: number, authentications: ReadonlySet<string | undefined>): string[] {
  const failures: string[] = [];
  const triggers = spec.triggers ?? [];
  if (!triggers.length) failures.push(`${where}: no triggers`);
  for (const trigger of triggers) {
    const type = trigger.type ?? '(none)';
    if (!KEDA_TRIGGER_TYPES.has(type)) failures.push(`${where}: trigger type ${type} is not one the factory generates (cpu, memory, azure-servicebus)`);
    if ((type === 'cpu' || type === 'memory') && (trigger.metricType !== 'Utilization' || !(Number(trigger.metadata?.value) > 0))) failures.push(`${where}: ${type} trigger needs metricType Utilization and a positive value`);
    if (type === 'azure-servicebus') {
      const entity = trigger.metadata?.queueName || (trigger.metadata?.topicName && trigger.metadata?.subscriptionName);
      if (!entity) failures.push(`${where}: azure-servicebus trigger names neither a queue nor a topic and subscription`);
      if (!(Number(trigger.metadata?.messageCount) > 0)) failures.push(`${where}: azure-servicebus trigger needs a positive messageCount`);
      if (!trigger.authenticationRef?.name) failures.push(`${where}: azure-servicebus trigger has no authenticationRef`);
    }
    if (trigger.authenticationRef?.name && !authentications.has(trigger.authenticationRef.name)) failures.push(`${where}: TriggerAuthentication ${trigger.authenticationRef.name} is not declared`);
  }
  if (min === 0 && triggers.length && triggers.every((trigger) => trigger.type === 'cpu' || trigger.type === 'memory')) failures.push(`${where}: cpu and memory triggers cannot scale to zero`);
  return failures;
}

function autoscalerFailures(name: string, byKind: Map<string, Doc[]>): string[] {
  const failures: string[] = [];
  const authentications = new Set((byKind.get('TriggerAuthentication') ?? []).map((doc) => doc.metadata?.name));
  const services = new Set((byKind.get('Service') ?? []).map((doc) => doc.metadata?.name));
  const scalers = [...(byKind.get('HorizontalPodAutoscaler') ?? []), ...(byKind.get('ScaledObject') ?? []), ...(byKind.get('HTTPScaledObject') ?? [])];
  if (scalers.length > 1) failures.push(`more than one autoscaler targets Deployment ${name}`);
  for (const scaler of scalers) {
    const spec = (scaler.spec ?? {}) as ScalerSpec;
    const where = `${scaler.kind} ${scaler.metadata!.name}`;
    if (spec.scaleTargetRef?.kind !== 'Deployment' || spec.scaleTargetRef.name !== name) failures.push(`${where} does not target Deployment ${name}`);
    const min = spec.minReplicas ?? spec.minReplicaCount ?? spec.replicas?.min ?? 0;
    const max = spec.maxReplicas ?? spec.maxReplicaCount ?? spec.replicas?.max;
    if (max === undefined || min > max) failures.push(`${where}: replicas min ${min} > max ${String(max)}`);
    if (scaler.kind === 'HorizontalPodAutoscaler' && min < 1) failures.push(`${where}: an HPA cannot scale to zero`);
    if (scaler.kind === 'ScaledObject') failures.push(...kedaFailures(where, spec, min, authentications));
    if (scaler.kind === 'HTTPScaledObject') {
      if (!spec.scaleTargetRef?.service || !services.has(spec.scaleTargetRef.service)) failures.push(`${where}: Service ${String(spec.scaleTargetRef?.service)} is not declared`);
      if (!(Number(spec.scalingMetric?.concurrency?.targetValue) > 0)) failures.push(`${where}: needs a positive scalingMetric.concurrency.targetValue`);
    }
  }
  return failures;
}
