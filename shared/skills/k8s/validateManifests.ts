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
 * ConfigMaps and ServiceAccount present, Services selecting the pods on a declared port, and
 * autoscalers targeting the Deployment with min ≤ max.
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
  failures.push(...autoscalerFailures(name, byKind));
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

function autoscalerFailures(name: string, byKind: Map<string, Doc[]>): string[] {
  const failures: string[] = [];
  const authentications = new Set((byKind.get('TriggerAuthentication') ?? []).map((doc) => doc.metadata?.name));
  const scalers = [...(byKind.get('HorizontalPodAutoscaler') ?? []), ...(byKind.get('ScaledObject') ?? [])];
  if (scalers.length > 1) failures.push(`more than one autoscaler targets Deployment ${name}`);
  for (const scaler of scalers) {
    const spec = scaler.spec as { scaleTargetRef?: { kind?: string; name?: string }; minReplicas?: number; maxReplicas?: number; minReplicaCount?: number; maxReplicaCount?: number; triggers?: { authenticationRef?: { name?: string } }[] };
    const where = `${scaler.kind} ${scaler.metadata!.name}`;
    if (spec.scaleTargetRef?.kind !== 'Deployment' || spec.scaleTargetRef.name !== name) failures.push(`${where} does not target Deployment ${name}`);
    const min = spec.minReplicas ?? spec.minReplicaCount ?? 0;
    const max = spec.maxReplicas ?? spec.maxReplicaCount;
    if (max === undefined || min > max) failures.push(`${where}: replicas min ${min} > max ${String(max)}`);
    if (scaler.kind === 'HorizontalPodAutoscaler' && min < 1) failures.push(`${where}: an HPA cannot scale to zero`);
    for (const trigger of spec.triggers ?? []) {
      if (trigger.authenticationRef?.name && !authentications.has(trigger.authenticationRef.name)) failures.push(`${where}: TriggerAuthentication ${trigger.authenticationRef.name} is not declared`);
    }
  }
  return failures;
}
