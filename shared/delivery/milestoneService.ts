import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { costs } from '../costs/handlers';
import { changeEvent, type ChangeContext } from '../platform/eventOutbox';
import { NotFound, Validation } from '../platform/http/errors';
import { StoreConflict, type StoredDocument } from '../platform/ports';
import { requireProject } from '../projects/lookup';
import type { WorkflowDocument } from '../workflows/schemas';
import { DELIVERY_CONTAINER } from './schemas';
import type { DeliveryServices } from './services';
import { stripEtag } from './promotionRecord';

type Key = { tenantId: string; projectId: string };

export const newMilestoneBody = z
  .strictObject({
    name: z.string().trim().min(1).max(200),
    workflowIds: z.array(z.string().min(1).max(100)).min(1).max(50).describe('The ProjectBootstrap and SprintExecution workflows the milestone groups'),
    ref: z.string().min(1).max(200).default('main').describe('What the milestone releases (default main)'),
  })
  .meta({ id: 'NewMilestone' });

export interface MilestoneDocument extends StoredDocument {
  type: 'milestone';
  milestoneId: string;
  name: string;
  workflowIds: string[];
  ref: string;
  status: 'QualityGate' | 'WaitingForApproval' | 'Releasing' | 'Released' | 'GateFailed' | 'Rejected' | 'ReleaseFailed';
  gate?: { passed: boolean; checks: { name: string; ok: boolean; detail: string }[] };
  releaseId?: string;
  failure?: string;
  traceId: string;
  createdBy: string;
  createdAt: string;
  finishedAt?: string;
}

export const milestoneView = z
  .object({ milestoneId: z.string(), name: z.string(), workflowIds: z.array(z.string()), ref: z.string(), status: z.string(), gate: z.object({ passed: z.boolean(), checks: z.array(z.object({ name: z.string(), ok: z.boolean(), detail: z.string() })) }).optional(), releaseId: z.string().optional(), failure: z.string().optional(), traceId: z.string(), createdBy: z.string(), createdAt: z.string(), finishedAt: z.string().optional() })
  .meta({ id: 'Milestone' });

export const toMilestoneView = (doc: MilestoneDocument) => {
  const { _etag: _e, id: _i, type: _t, tenantId: _tn, projectId: _p, ...rest } = doc as MilestoneDocument & { _etag?: string };
  return rest as z.infer<typeof milestoneView>;
};

export const milestoneInstanceId = (key: Key, milestoneId: string) => `milestone:${key.tenantId}:${key.projectId}:${milestoneId}`;

/** Records a milestone (`MilestoneChanged.v1`); 400 when a listed workflow is not one of the project's. */
export async function createMilestone(services: DeliveryServices, key: Key, body: z.output<typeof newMilestoneBody>, change: ChangeContext): Promise<MilestoneDocument> {
  await requireProject(services.platform.store, key.tenantId, key.projectId);
  const missing: { path: string; message: string }[] = [];
  for (const [i, workflowId] of body.workflowIds.entries()) {
    const workflow = await services.platform.store.read<WorkflowDocument>('workflows', key, workflowId);
    if (!workflow || workflow.type !== 'workflow') missing.push({ path: `body.workflowIds[${i}]`, message: `workflow '${workflowId}' is not a workflow of this project` });
  }
  if (missing.length) throw new Validation(missing, 'Unknown workflows.');
  const milestoneId = `ms-${Date.now().toString(36)}-${randomBytes(2).toString('hex')}`;
  const doc: MilestoneDocument = { id: `milestone:${milestoneId}`, ...key, type: 'milestone', milestoneId, name: body.name, workflowIds: body.workflowIds, ref: body.ref, status: 'QualityGate', traceId: change.traceId, createdBy: change.principal?.id ?? 'system', createdAt: new Date().toISOString() };
  const event = changeEvent('MilestoneChanged.v1', { milestoneId, name: body.name, status: doc.status }, change, { ...key, workflowId: milestoneId, subject: `milestones/${milestoneId}` });
  await services.platform.outbox.commit(DELIVERY_CONTAINER, key, [{ op: 'create', document: doc }], [event]);
  return doc;
}

export async function requireMilestone(services: DeliveryServices, key: Key, milestoneId: string) {
  const doc = await services.store.store.read<MilestoneDocument>(DELIVERY_CONTAINER, key, `milestone:${milestoneId}`);
  if (!doc || doc.type !== 'milestone') throw new NotFound(`Milestone '${milestoneId}' was not found.`);
  return doc;
}

/** Moves a milestone (once per status) and emits `MilestoneChanged.v1`. */
export async function updateMilestone(services: DeliveryServices, key: Key, milestoneId: string, patch: Partial<Pick<MilestoneDocument, 'status' | 'gate' | 'releaseId' | 'failure' | 'finishedAt'>>): Promise<void> {
  for (let attempt = 0; attempt < 10; attempt++) {
    const current = await requireMilestone(services, key, milestoneId);
    if (patch.status && current.status === patch.status) return;
    const next = { ...stripEtag(current), ...patch };
    const event = changeEvent('MilestoneChanged.v1', { milestoneId, name: current.name, status: next.status, ...(next.releaseId ? { releaseId: next.releaseId } : {}) }, { principal: { id: 'system:milestone' }, traceId: current.traceId }, { ...key, workflowId: milestoneId, subject: `milestones/${milestoneId}` });
    try {
      await services.platform.outbox.commit(DELIVERY_CONTAINER, key, [{ op: 'replace', document: next, ifMatch: current._etag }], [event]);
      return;
    } catch (error) {
      if (!(error instanceof StoreConflict)) throw error;
    }
  }
}

/**
 * The quality gate (SPEC §6 MilestoneLifecycle): every listed workflow completed with every module
 * validated, no open drift finding in the project, the project and tenant within budget.
 */
export async function evaluateQualityGate(services: DeliveryServices, key: Key, milestoneId: string): Promise<{ passed: boolean; checks: { name: string; ok: boolean; detail: string }[] }> {
  const milestone = await requireMilestone(services, key, milestoneId);
  const checks: { name: string; ok: boolean; detail: string }[] = [];
  for (const workflowId of milestone.workflowIds) {
    const workflow = await services.platform.store.read<WorkflowDocument>('workflows', key, workflowId);
    const unvalidated = (workflow?.summary?.modules ?? []).filter((m) => !m.validated).map((m) => m.name);
    const ok = workflow?.status === 'Completed' && unvalidated.length === 0;
    checks.push({ name: `workflow ${workflowId}`, ok, detail: workflow?.status !== 'Completed' ? `is ${workflow?.status ?? 'missing'}` : unvalidated.length ? `modules not validated: ${unvalidated.join(', ')}` : `${workflow.summary?.modules.length ?? 0} modules validated` });
  }
  const open = await services.store.findings(key, undefined, 'open', { limit: 100 });
  checks.push({ name: 'drift', ok: open.items.length === 0, detail: open.items.length ? `${open.items.length} open drift findings` : 'no open drift finding' });
  const { budgets } = await costs();
  const [tenant, project] = await Promise.all([budgets.status(key.tenantId), budgets.status(key.tenantId, key.projectId)]);
  checks.push({ name: 'budget', ok: !tenant.exceeded && !project.exceeded, detail: tenant.exceeded || project.exceeded ? 'the budget of the month is exceeded' : 'within budget' });
  const gate = { passed: checks.every((c) => c.ok), checks };
  await updateMilestone(services, key, milestoneId, { gate, status: gate.passed ? 'WaitingForApproval' : 'GateFailed', ...(gate.passed ? {} : { failure: checks.filter((c) => !c.ok).map((c) => `${c.name}: ${c.detail}`).join('; '), finishedAt: new Date().toISOString() }) });
  return gate;
}
