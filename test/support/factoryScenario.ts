import fs from 'node:fs';
import path from 'node:path';
import { FactoryApp } from './factoryApp';
import { eventually, repoRoot } from './hostProcess';

export const VETCLINIC = fs.readFileSync(path.join(repoRoot, 'shared/blueprints/examples/vetclinic.yaml'), 'utf8');
export const TINY = fs.readFileSync(path.join(repoRoot, 'test/fixtures/blueprints/tiny.yaml'), 'utf8');

export interface TenantSetup {
  tenantId: string;
  keys: Record<'admin' | 'architect' | 'viewer', string>;
}

/** A tenant with a TenantAdmin, an Architect and a Viewer key. */
export async function setupTenant(app: FactoryApp, tenantId: string, edition: 'free' | 'pro' | 'enterprise' = 'pro'): Promise<TenantSetup> {
  const created = await app.call('POST', 'tenants', { body: { tenantId, name: `Tenant ${tenantId}`, edition } });
  if (created.status !== 201) throw new Error(`tenant: ${created.status} ${JSON.stringify(created.body)}`);
  const key = async (name: string, roles: string[]) => {
    const res = await app.call<{ secret: string }>('POST', `tenants/${tenantId}/keys`, { body: { name, roles } });
    if (res.status !== 201) throw new Error(`key: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body.secret;
  };
  return { tenantId, keys: { admin: await key('admin', ['TenantAdmin']), architect: await key('architect', ['Architect']), viewer: await key('viewer', ['Viewer']) } };
}

/** A project with a submitted, valid blueprint. */
export async function setupProject(app: FactoryApp, tenant: TenantSetup, projectId: string, blueprint = TINY): Promise<void> {
  const project = await app.call('POST', `tenants/${tenant.tenantId}/projects`, { key: tenant.keys.admin, body: { projectId, name: projectId } });
  if (project.status !== 201) throw new Error(`project: ${project.status} ${JSON.stringify(project.body)}`);
  const submitted = await app.call('POST', `tenants/${tenant.tenantId}/projects/${projectId}/blueprints`, { key: tenant.keys.architect, raw: blueprint, contentType: 'application/yaml' });
  if (submitted.status !== 201) throw new Error(`blueprint: ${submitted.status} ${JSON.stringify(submitted.body)}`);
}

export interface WorkflowView {
  workflowId: string;
  status: string;
  runtimeStatus?: string;
  failure?: string;
  summary?: { outcome: string; modules: { name: string; validated: boolean; artifacts: number }[]; artifacts: number; commit?: { branch: string; sha: string; created: boolean } };
  timeline?: { step: string; status: string; agent?: string; skill?: string; attempts: number; artifacts: string[]; failure?: string }[];
}

export async function startBootstrap(app: FactoryApp, tenant: TenantSetup, projectId: string): Promise<string> {
  const res = await app.call<WorkflowView>('POST', `tenants/${tenant.tenantId}/projects/${projectId}/workflows`, { key: tenant.keys.admin, body: { kind: 'ProjectBootstrap' } });
  if (res.status !== 202) throw new Error(`start: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.workflowId;
}

export async function workflow(app: FactoryApp, tenant: TenantSetup, projectId: string, workflowId: string): Promise<WorkflowView> {
  return (await app.call<WorkflowView>('GET', `tenants/${tenant.tenantId}/projects/${projectId}/workflows/${workflowId}`, { key: tenant.keys.viewer })).body;
}

export async function waitForWorkflow(app: FactoryApp, tenant: TenantSetup, projectId: string, workflowId: string, predicate: (w: WorkflowView) => boolean, timeoutMs = 120000): Promise<WorkflowView> {
  return eventually(async () => {
    const w = await workflow(app, tenant, projectId, workflowId);
    return predicate(w) ? w : undefined;
  }, timeoutMs, `workflow ${workflowId}`);
}

export interface ApprovalView {
  id?: string;
  approvalId?: string;
  status: string;
  workflowId: string;
  gate: string;
  escalated?: boolean;
}

/** The pending approval of a workflow, once the gate has requested it. */
export async function pendingApproval(app: FactoryApp, tenant: TenantSetup, workflowId: string): Promise<string> {
  return eventually(async () => {
    const res = await app.call<{ items: ApprovalView[] }>('GET', `tenants/${tenant.tenantId}/approvals?status=pending`, { key: tenant.keys.architect });
    const found = res.body.items?.find((a) => a.workflowId === workflowId);
    return found ? (found.approvalId ?? found.id) : undefined;
  }, 60000, `approval of ${workflowId}`);
}
