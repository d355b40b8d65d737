import type { ChangeContext } from '../platform/eventOutbox';
import { applyRelease, recordDeployed, rollBack } from './deploymentService';
import { environmentOf, toDesiredEnvironment } from './environmentService';
import { finishPromotion, recordPromotionStep, updatePromotion, withStep } from './promotionRecord';
import { requireRelease } from './releaseService';
import type { DeliveryServices } from './services';
import { verifyEnvironment } from './verification';

/** Which release is promoted where (the input of every promotion activity). */
export interface PromotionTarget {
  tenantId: string;
  projectId: string;
  releaseId: string;
  environment: string;
  traceId: string;
}

const keyOf = (t: PromotionTarget) => ({ tenantId: t.tenantId, projectId: t.projectId });
const system = (traceId: string): ChangeContext => ({ principal: { id: 'system:release' }, traceId });

/** Evaluates the `release` policies for the environment (recorded once per release and environment). */
export async function evaluatePromotionPolicy(services: DeliveryServices, target: PromotionTarget, approvers: string[]): Promise<{ outcome: string; approvers: string[]; reason: string; decisionId: string }> {
  const release = await requireRelease(services, keyOf(target), target.releaseId);
  const decision = await services.governance.engine.evaluate(
    'release',
    { environment: target.environment, approvers, release: { version: release.version, modules: release.manifest.modules.map((m) => m.name) } },
    { ...keyOf(target), workflowId: target.releaseId, principal: { id: 'system:release' }, traceId: target.traceId, decisionId: `${target.releaseId}.${target.environment}.policy` },
  );
  await updatePromotion(services, keyOf(target), target.releaseId, target.environment, (p) => ({ next: { ...withStep(p, { name: 'Policy', status: decision.outcome === 'deny' ? 'failed' : 'succeeded', output: `${decision.outcome} (${decision.rule}): ${decision.reason}` }), policyDecisionId: decision.id } }));
  return { outcome: decision.outcome, approvers: decision.approvers ?? [], reason: decision.reason, decisionId: decision.id };
}

/** Deploys the release's modules to the environment; the step's output lists each module's outcome. */
export async function deployPromotion(services: DeliveryServices, target: PromotionTarget): Promise<{ ok: boolean; reason?: string }> {
  const key = keyOf(target);
  const release = await requireRelease(services, key, target.releaseId);
  await recordPromotionStep(services, key, target.releaseId, target.environment, { name: 'Deploy', status: 'running' }, 'Deploying');
  const { outcomes } = await applyRelease(services, key, target.environment, { releaseId: release.releaseId, commit: release.manifest.commit, traceId: release.traceId, modules: release.manifest.modules });
  const failed = outcomes.find((o) => o.status === 'failed');
  const took = (o: (typeof outcomes)[number]) => (o.timings ? ` (build ${o.timings.buildMs} ms, start → ready ${o.timings.readyMs} ms)` : '');
  const output = outcomes.map((o) => `${o.module}: ${o.status}${o.replicas.length ? ` ${o.replicas.map((r) => r.url ?? r.id).join(', ')}` : ''}${took(o)}${o.reason ? ` — ${o.reason}` : ''}`).join('\n');
  await recordPromotionStep(services, key, target.releaseId, target.environment, { name: 'Deploy', status: failed ? 'failed' : 'succeeded', output });
  return failed ? { ok: false, reason: `${failed.module} did not start: ${failed.reason ?? 'unknown'}` } : { ok: true };
}

/** Health check then smoke calls, each recorded as a step. */
export async function verifyPromotion(services: DeliveryServices, target: PromotionTarget): Promise<{ ok: boolean; reason?: string }> {
  const key = keyOf(target);
  const release = await requireRelease(services, key, target.releaseId);
  const environment = await environmentOf(services, key, target.environment);
  await recordPromotionStep(services, key, target.releaseId, target.environment, { name: 'HealthCheck', status: 'running' }, 'Verifying');
  const replicasOf = (module: string) => environment.replicas[module] ?? release.manifest.modules.find((m) => m.name === module)!.replicas;
  const result = await verifyEnvironment(services, key, target.environment, { commit: release.manifest.commit, traceId: release.traceId, modules: release.manifest.modules, replicasOf });
  const healthy = result.smoke.length > 0 || result.ok;
  await recordPromotionStep(services, key, target.releaseId, target.environment, { name: 'HealthCheck', status: healthy ? 'succeeded' : 'failed', output: result.health.join('\n') });
  if (healthy) await recordPromotionStep(services, key, target.releaseId, target.environment, { name: 'Smoke', status: result.ok ? 'succeeded' : 'failed', output: result.smoke.join('\n') });
  return result.ok ? { ok: true } : { ok: false, reason: result.reason };
}

/** Records the environment's new desired state and deployments, and ends the promotion Succeeded. */
export async function completePromotion(services: DeliveryServices, target: PromotionTarget): Promise<void> {
  const key = keyOf(target);
  const release = await requireRelease(services, key, target.releaseId);
  const environment = await environmentOf(services, key, target.environment);
  const desired = toDesiredEnvironment(services, key, environment, { releaseId: release.releaseId, commit: release.manifest.commit, traceId: release.traceId, modules: release.manifest.modules });
  await recordDeployed(services, key, desired, release.manifest.modules, 'release', system(target.traceId), release.releaseId, { config: environment.config, secrets: environment.secrets });
  await recordPromotionStep(services, key, target.releaseId, target.environment, { name: 'Promote', status: 'succeeded', output: `${target.environment} runs ${release.version}` });
  await finishPromotion(services, key, target.releaseId, target.environment, 'Succeeded');
}

/** Rolls the environment back to its last good state and ends the promotion RolledBack with the reason. */
export async function rollBackPromotion(services: DeliveryServices, target: PromotionTarget, reason: string): Promise<void> {
  const key = keyOf(target);
  const release = await requireRelease(services, key, target.releaseId);
  await recordPromotionStep(services, key, target.releaseId, target.environment, { name: 'Rollback', status: 'running', output: reason });
  const result = await rollBack(services, key, target.environment, { releaseId: release.releaseId, modules: release.manifest.modules }, reason, system(target.traceId));
  const output = result.restored ? `restored ${result.restored}: ${result.outcomes.map((o) => `${o.module} ${o.status}${o.reason ? ` (${o.reason})` : ''}`).join(', ')}` : 'nothing was good here before: the release was stopped';
  const restoredAll = result.outcomes.every((o) => o.status !== 'failed');
  await recordPromotionStep(services, key, target.releaseId, target.environment, { name: 'Rollback', status: restoredAll ? 'succeeded' : 'failed', output });
  await finishPromotion(services, key, target.releaseId, target.environment, 'RolledBack', reason);
}
