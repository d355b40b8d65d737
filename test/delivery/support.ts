import { spawn } from 'node:child_process';
import path from 'node:path';
import { LocalRuntimeProvider } from '../../shared/runtime/local/localRuntime';
import { stopReplica, TAG } from '../../shared/runtime/local/processTable';
import type { FactoryApp } from '../support/factoryApp';
import { eventually } from '../support/hostProcess';
import type { TenantSetup } from '../support/factoryScenario';

/** Ends every replica a test's factory started (by pid, found by the data dir's runtime tag), and any extra pids. */
export async function stopAllReplicas(dataDir: string, extra: number[] = []): Promise<void> {
  const pids = [...new LocalRuntimeProvider(path.join(dataDir, 'runtime')).runningPids(), ...extra];
  await Promise.all(pids.map((pid) => stopReplica(pid, 2000)));
}

/** A process that looks like a replica of module `module` to the local runtime: the "unexpected" one. */
export function startIntruder(dataDir: string, target: { tenantId: string; projectId: string; environment: string }, module: string): number {
  const child = spawn(process.execPath, ['-e', "require('node:http').createServer((q, s) => s.end('intruder')).listen(0, '127.0.0.1')"], {
    env: { PATH: process.env.PATH, [TAG.root]: path.join(dataDir, 'runtime'), [TAG.tenant]: target.tenantId, [TAG.project]: target.projectId, [TAG.environment]: target.environment, [TAG.module]: module, [TAG.replica]: `${module}-by-hand`, PORT: '0', SERVICE_VERSION: 'unknown' },
    detached: true,
    stdio: 'ignore',
  });
  child.unref();
  return child.pid!;
}

export interface ReleaseView {
  releaseId: string;
  status: string;
  failure?: string;
  environment?: string;
  manifest: { commit: string; modules: { name: string; version: string }[]; environments: { name: string; approvals: string[] }[] };
  promotions?: { environment: string; phase: string; reason?: string; steps: { name: string; status: string; output?: string }[]; approval?: unknown }[];
}

export async function waitForRelease(app: FactoryApp, tenant: TenantSetup, projectId: string, releaseId: string, predicate: (r: ReleaseView) => boolean, timeoutMs = 300_000): Promise<ReleaseView> {
  return eventually(async () => {
    const res = await app.call<ReleaseView>('GET', `tenants/${tenant.tenantId}/projects/${projectId}/releases/${releaseId}`, { key: tenant.keys.viewer });
    return res.status === 200 && predicate(res.body) ? res.body : undefined;
  }, timeoutMs, `release ${releaseId}`);
}

/** The pending approval of a release or remediation (its `workflowId`), decided by `key`. */
export async function approvePending(app: FactoryApp, tenant: TenantSetup, workflowId: string, key: string): Promise<void> {
  const approvalId = await eventually(async () => {
    const res = await app.call<{ items: { approvalId?: string; id?: string; workflowId: string }[] }>('GET', `tenants/${tenant.tenantId}/approvals?status=pending`, { key });
    const found = res.body.items?.find((a) => a.workflowId === workflowId);
    return found ? (found.approvalId ?? found.id) : undefined;
  }, 120_000, `approval of ${workflowId}`);
  const decided = await app.call('POST', `tenants/${tenant.tenantId}/approvals/${approvalId}/decision`, { key, body: { decision: 'approve', comment: 'go' } });
  if (decided.status !== 200) throw new Error(`decision: ${decided.status} ${JSON.stringify(decided.body)}`);
}

export interface LiveModule {
  module: string;
  version?: string;
  configHash?: string;
  endpoint?: string;
  replicas: { id: string; pid?: number; port?: number; url?: string; ready: boolean }[];
}

export async function liveOf(app: FactoryApp, tenant: TenantSetup, projectId: string, environment: string): Promise<LiveModule[]> {
  const res = await app.call<{ live: LiveModule[] }>('GET', `tenants/${tenant.tenantId}/projects/${projectId}/environments/${environment}`, { key: tenant.keys.viewer });
  if (res.status !== 200) throw new Error(`environment: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.live;
}

/** Creates an entity through a service's API and reads it back: what a user of the running service does. */
export async function createAndRead(baseUrl: string, collection: string, body: Record<string, unknown>): Promise<Record<string, unknown>> {
  const created = await fetch(`${baseUrl}${collection}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const entity = (await created.json()) as { id: string };
  if (created.status !== 201) throw new Error(`POST ${collection}: ${created.status} ${JSON.stringify(entity)}`);
  const read = await fetch(`${baseUrl}${collection}/${entity.id}`);
  if (read.status !== 200) throw new Error(`GET ${collection}/${entity.id}: ${read.status}`);
  return (await read.json()) as Record<string, unknown>;
}
