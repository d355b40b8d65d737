import fs from 'node:fs';
import path from 'node:path';
import { startFactoryApp, type FactoryApp } from '../support/factoryApp';
import { setupTenant, TINY, waitForWorkflow, type TenantSetup } from '../support/factoryScenario';
import { eventually, tempDataDir } from '../support/hostProcess';
import { openChromium, signIn } from '../studio/browser';
import { approvePending, liveOf, stopAllReplicas, waitForRelease, type ReleaseView } from './support';

jest.setTimeout(900_000);

const ENV = { FACTORY_DRIFT_SCAN_SCHEDULE: '0 0 0 1 1 *', FACTORY_HOST_MASTER_KEY: 'test-master-key-0123456789abcdef', FACTORY_HOST_SYSTEM_KEY: 'test-system-key-0123456789abcdef' };
const TRACE_ID = '0af7651916cd43dd8448eb211c80319c';
/** The one trace a client (a CLI session, a pipeline) sends on every call: W3C `traceparent`. */
const TRACEPARENT = `00-${TRACE_ID}-b7ad6b7169203331-01`;
const PROJECT = 'petstore';

interface LogLine {
  message?: string;
  msg?: string;
  function?: string;
  traceId?: string;
  spanId?: string;
  parentSpanId?: string;
  req?: { url?: string };
}

const jsonLines = (lines: string[]): LogLine[] =>
  lines.flatMap((line) => {
    if (!line.startsWith('{')) return [];
    try {
      return [JSON.parse(line) as LogLine];
    } catch {
      return [];
    }
  });

/** Every replica log file under the factory's runtime folder. */
function replicaLogs(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return replicaLogs(full);
    return entry.name.endsWith('.log') ? [full] : [];
  });
}

/**
 * Issue 11 §7: one traceId from intent to running system. A client sends one `traceparent` on the
 * blueprint submit, the ProjectBootstrap start, its approval and the release; that traceId then finds
 * every step in the host's JSON log lines, the API's records and the running service's log.
 */
describe('one trace from the blueprint submit to the running service', () => {
  const dataDir = tempDataDir('delivery-trace-');
  let app: FactoryApp;
  let tenant: TenantSetup;
  let releaseManager: string;
  let workflowId: string;
  let release: ReleaseView & { traceId?: string };
  const traced = { traceparent: TRACEPARENT };

  beforeAll(async () => {
    app = await startFactoryApp({ dataDir, env: ENV });
    tenant = await setupTenant(app, 'traced');
    releaseManager = (await app.call<{ secret: string }>('POST', 'tenants/traced/keys', { body: { name: 'rm', roles: ['ReleaseManager'] } })).body.secret;
    expect((await app.call('POST', 'tenants/traced/projects', { key: tenant.keys.admin, body: { projectId: PROJECT, name: PROJECT } })).status).toBe(201);
    const submitted = await app.call('POST', `tenants/traced/projects/${PROJECT}/blueprints`, { key: tenant.keys.architect, raw: TINY, contentType: 'application/yaml', headers: traced });
    expect(submitted.status).toBe(201);
    expect(submitted.headers.get('x-trace-id')).toBe(TRACE_ID);
    const started = await app.call<{ workflowId: string }>('POST', `tenants/traced/projects/${PROJECT}/workflows`, { key: tenant.keys.admin, body: { kind: 'ProjectBootstrap' }, headers: traced });
    expect(started.status).toBe(202);
    workflowId = started.body.workflowId;
    const approvalId = await eventually(async () => {
      const res = await app.call<{ items: { approvalId?: string; id?: string; workflowId: string }[] }>('GET', 'tenants/traced/approvals?status=pending', { key: tenant.keys.architect });
      const found = res.body.items?.find((a) => a.workflowId === workflowId);
      return found ? (found.approvalId ?? found.id) : undefined;
    }, 120_000, 'bootstrap approval');
    expect((await app.call('POST', `tenants/traced/approvals/${approvalId}/decision`, { key: tenant.keys.architect, body: { decision: 'approve' }, headers: traced })).status).toBe(200);
    expect((await waitForWorkflow(app, tenant, PROJECT, workflowId, (w) => w.status !== 'Running', 600_000)).status).toBe('Completed');
    expect((await app.call('PUT', `tenants/traced/projects/${PROJECT}/environments/dev`, { key: releaseManager, body: { config: { LOG_LEVEL: 'info' } } })).status).toBe(200);
    const releasing = await app.call<ReleaseView>('POST', `tenants/traced/projects/${PROJECT}/releases`, { key: releaseManager, body: { environments: ['dev'] }, headers: traced });
    expect(releasing.status).toBe(202);
    release = await waitForRelease(app, tenant, PROJECT, releasing.body.releaseId, (r) => r.status !== 'Running');
    expect(release.status).toBe('Succeeded');
  });

  afterAll(async () => {
    await app?.stop();
    await stopAllReplicas(dataDir);
  });

  it('runs the ProjectBootstrap, its activities, sub-orchestrations and agent steps, and the release, in the trace (host log lines)', () => {
    const lines = jsonLines(app.host.output).filter((l) => l.message === 'invocation' && l.traceId === TRACE_ID);
    const functions = new Set(lines.map((l) => l.function));
    for (const name of ['ProjectBootstrap', 'MicroserviceAssembly', 'AgentTask', 'DispatchAgentTask', 'agentTaskExecutor', 'CommitWorkflowArtifacts', 'MergeWorkflowBranch', 'Release', 'DeployRelease', 'VerifyRelease']) {
      expect([name, functions.has(name)]).toEqual([name, true]);
    }
    // Each invocation its own span; every episode of the bootstrap under one orchestration span.
    expect(new Set(lines.map((l) => l.spanId)).size).toBe(lines.length);
    expect(new Set(lines.filter((l) => l.function === 'ProjectBootstrap').map((l) => l.parentSpanId)).size).toBe(1);
  });

  it('finds the submit, the workflow, the agents, the commit, the release, its promotion and deployment in the API records', async () => {
    const workflow = (await app.call<{ traceId: string; summary: { commit: { sha: string } } }>('GET', `tenants/traced/projects/${PROJECT}/workflows/${workflowId}`, { key: tenant.keys.viewer })).body;
    expect(workflow.traceId).toBe(TRACE_ID);
    expect(release.traceId).toBe(TRACE_ID);
    // The commit the workflow made (merged into main) is the commit the release shipped.
    expect(release.manifest.commit).toBe(workflow.summary.commit.sha);
    for (const promotion of release.promotions ?? []) expect((promotion as { traceId?: string }).traceId).toBe(TRACE_ID);
    const deployments = await app.call<{ items: { traceId?: string; status: string }[] }>('GET', `tenants/traced/projects/${PROJECT}/environments/dev/deployments`, { key: tenant.keys.viewer });
    expect(deployments.body.items.length).toBeGreaterThan(0);
    for (const deployment of deployments.body.items) expect(deployment.traceId).toBe(TRACE_ID);

    const audit = await app.call<{ items: { action: string; traceId: string; actor: string | null }[] }>('GET', `tenants/traced/audit?traceId=${TRACE_ID}&limit=1000`, { key: tenant.keys.viewer });
    expect(audit.status).toBe(200);
    expect(audit.body.items.every((e) => e.traceId === TRACE_ID)).toBe(true);
    const actions = new Set(audit.body.items.map((e) => e.action));
    for (const action of ['BlueprintSubmitted.v1', 'WorkflowStarted.v1', 'ArtifactStored.v1', 'ApprovalDecided.v1', 'WorkflowCompleted.v1', 'ReleaseCreated.v1', 'PromotionStarted.v1', 'DeploymentSucceeded.v1', 'PromotionFinished.v1', 'ReleaseFinished.v1']) {
      expect([action, actions.has(action)]).toEqual([action, true]);
    }
    // The agents' steps: the artifacts they stored are theirs, in the same trace.
    const byAgents = audit.body.items.filter((e) => e.action === 'ArtifactStored.v1').map((e) => e.actor);
    expect(byAgents.some((actor) => /^agent:/.test(actor ?? ''))).toBe(true);
    const bad = await app.call<{ errors: { path: string }[] }>('GET', 'tenants/traced/audit?traceId=not-a-trace', { key: tenant.keys.viewer });
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((e) => e.path)).toEqual(['query.traceId']);
  });

  it('starts the deployed service in the trace: its start log line and its first request carry the traceId', () => {
    const logs = replicaLogs(path.join(dataDir, 'runtime'));
    expect(logs.length).toBeGreaterThan(0);
    const starts = logs.flatMap((file) => jsonLines(fs.readFileSync(file, 'utf8').split('\n'))).filter((l) => l.msg === 'listening');
    expect(starts.length).toBeGreaterThan(0);
    for (const start of starts) expect(start.traceId).toBe(TRACE_ID);
    // The release's smoke call (create and read a Pet) is the service's first real request: in the trace too.
    const requests = logs.flatMap((file) => jsonLines(fs.readFileSync(file, 'utf8').split('\n'))).filter((l) => l.msg === 'incoming request' && /\/pets/.test(l.req?.url ?? ''));
    expect(requests.length).toBeGreaterThan(0);
    for (const request of requests) expect(request.traceId).toBe(TRACE_ID);
  });

  it('Studio: the lineage of a generated file reaches release → promotion → deployment, and the trace search lists what the trace caused', async () => {
    const browser = await openChromium();
    try {
      const { page } = browser;
      await signIn(page, app.host.origin, tenant.keys.viewer, tenant.tenantId);
      await page.getByRole('link', { name: 'Workflows', exact: true }).last().click();
      await page.getByRole('link', { name: 'Artifacts' }).click();
      await page.getByRole('link', { name: 'pet-service/src/app.ts' }).click();
      const delivery = page.getByRole('list', { name: 'Delivery lineage' });
      await delivery.waitFor({ timeout: 60_000 });
      const promotion = delivery.getByRole('listitem', { name: 'Promotion to dev' });
      expect(await promotion.textContent()).toMatch(/dev\s*Succeeded[\s\S]*PetService/);
      expect(await promotion.textContent()).toContain('http://127.0.0.1:');
      const diagram = page.getByRole('group', { name: /Lineage of pet-service\/src\/app.ts/ }).locator('svg');
      await diagram.waitFor();
      expect(await diagram.textContent()).toMatch(/release[\s\S]*dev[\s\S]*PetService/);

      await delivery.getByRole('link', { name: 'trace' }).first().click();
      await page.getByRole('heading', { name: 'Audit' }).waitFor();
      expect(await page.getByLabel('Trace id').inputValue()).toBe(TRACE_ID);
      const table = page.getByRole('table', { name: 'Audit entries' });
      await table.getByRole('cell', { name: 'ReleaseCreated.v1', exact: true }).first().waitFor();
      await table.getByRole('cell', { name: 'BlueprintSubmitted.v1', exact: true }).first().waitFor();
      const traces = await table.locator('tbody tr td:nth-child(6)').allTextContents();
      expect(new Set(traces)).toEqual(new Set([TRACE_ID.slice(0, 8)]));
      expect(browser.errors).toEqual([]);
    } finally {
      await browser.close();
    }
  });

  it('records the trace of a drift scan with its findings, and the remediation it starts runs in that trace', async () => {
    const scanTrace = '5ca17ace5ca17ace5ca17ace5ca17ace';
    const [pet] = await liveOf(app, tenant, PROJECT, 'dev');
    process.kill(-pet.replicas[0].pid!, 'SIGKILL');
    const scan = await eventually(async () => {
      const res = await app.call<{ findings: { kind: string }[]; remediationId?: string }>('POST', `tenants/traced/projects/${PROJECT}/environments/dev/drift-scans`, { key: releaseManager, headers: { traceparent: `00-${scanTrace}-00f067aa0ba902b7-01` } });
      return res.body.findings?.some((f) => f.kind === 'missing') ? res : undefined;
    }, 60_000, 'the missing replica');
    expect(scan.headers.get('x-trace-id')).toBe(scanTrace);
    expect(scan.body.remediationId).toBeDefined(); // dev heals itself
    const resolved = await eventually(async () => {
      const res = await app.call<{ items: { kind: string; traceId?: string; resolvedTraceId?: string }[] }>('GET', `tenants/traced/projects/${PROJECT}/drift?environment=dev&status=resolved`, { key: tenant.keys.viewer });
      return res.body.items.find((f) => f.kind === 'missing');
    }, 180_000, 'the remediation');
    expect(resolved).toMatchObject({ traceId: scanTrace, resolvedTraceId: scanTrace });
    const lines = jsonLines(app.host.output).filter((l) => l.message === 'invocation' && l.traceId === scanTrace);
    for (const name of ['DriftRemediation', 'ReapplyDesiredState', 'ScanDrift']) expect([name, lines.some((l) => l.function === name)]).toEqual([name, true]);
  });

  it('gives a release started by a MilestoneLifecycle the milestone\'s trace, through approvals decided in other requests', async () => {
    const milestoneTrace = '3d1e5703d1e5703d1e5703d1e5703d1e';
    const started = await app.call<{ milestoneId: string }>('POST', `tenants/traced/projects/${PROJECT}/milestones`, { key: releaseManager, body: { name: 'traced', workflowIds: [workflowId] }, headers: { traceparent: `00-${milestoneTrace}-00f067aa0ba902b7-01` } });
    expect(started.status).toBe(202);
    const milestoneId = started.body.milestoneId;
    await approvePending(app, tenant, milestoneId, releaseManager);
    const releaseId = await eventually(async () => (await app.call<{ releaseId?: string }>('GET', `tenants/traced/projects/${PROJECT}/milestones/${milestoneId}`, { key: tenant.keys.viewer })).body.releaseId, 120_000, 'the milestone release');
    await approvePending(app, tenant, releaseId, releaseManager);
    const done = (await waitForRelease(app, tenant, PROJECT, releaseId, (r) => r.status !== 'Running')) as ReleaseView & { traceId?: string };
    expect(done.status).toBe('Succeeded');
    expect(done.traceId).toBe(milestoneTrace);
    expect(done.promotions!.map((p) => [p.environment, (p as { traceId?: string }).traceId])).toEqual([['dev', milestoneTrace], ['production', milestoneTrace]]);
    const lines = jsonLines(app.host.output).filter((l) => l.message === 'invocation' && l.traceId === milestoneTrace);
    for (const name of ['MilestoneLifecycle', 'ApprovalGate', 'CreateMilestoneRelease', 'Release', 'DeployRelease', 'VerifyRelease']) expect([name, lines.some((l) => l.function === name)]).toEqual([name, true]);
  });
});
