import type { ChangeContext } from '../platform/eventOutbox';
import { applyRelease, modulesOf, recordDeployed } from './deploymentService';
import { scanEnvironment } from './driftService';
import type { DeliveryServices } from './services';

type Target = { tenantId: string; projectId: string; environment: string; traceId: string };
const system = (traceId: string): ChangeContext => ({ principal: { id: 'system:drift-remediation' }, traceId });

/** Re-applies the environment's desired state (its last good release with the bindings it was applied with) and records the deployments. */
export async function reapplyDesiredState(services: DeliveryServices, target: Target & { remediationId: string }): Promise<{ outcomes: { module: string; status: string; reason?: string }[] }> {
  const key = { tenantId: target.tenantId, projectId: target.projectId };
  const state = await services.store.desired(key, target.environment);
  if (!state || state.stoppedAt) {
    const stopped = await services.runtime.teardown({ ...key, environment: target.environment });
    return { outcomes: [{ module: '*', status: `stopped ${stopped} replicas: nothing is desired here` }] };
  }
  const modules = modulesOf(state);
  const { desired, outcomes } = await applyRelease(services, key, target.environment, { releaseId: state.releaseId, commit: state.commit, traceId: target.traceId, modules }, state);
  if (outcomes.every((o) => o.status !== 'failed')) await recordDeployed(services, key, desired, modules, 'remediation', system(target.traceId), target.remediationId, state.bindings);
  return { outcomes: outcomes.map((o) => ({ module: o.module, status: o.status, ...(o.reason ? { reason: o.reason } : {}) })) };
}

/** The scan that closes a remediation: converged findings are resolved. */
export async function scanAfterRemediation(services: DeliveryServices, target: Target): Promise<{ open: number }> {
  const result = await scanEnvironment(services, { tenantId: target.tenantId, projectId: target.projectId }, target.environment, system(target.traceId));
  return { open: result.findings.length };
}
