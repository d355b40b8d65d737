import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ADMIN_KEY, FactoryApp, startFactoryApp } from '../support/factoryApp';
import { repoRoot } from '../support/hostProcess';
import { CliUser } from './cliProcess';

const VETCLINIC = path.join(repoRoot, 'shared/blueprints/examples/vetclinic.yaml');
const BROKEN = path.join(repoRoot, 'shared/blueprints/examples/broken.yaml');

/**
 * The README walkthrough, done with `factory` commands only: an operator creates a tenant and keys,
 * an architect submits blueprints and decides the ArchitectureApproval, a TenantAdmin starts
 * ProjectBootstrap with --wait, and everyone reads the outcome, the code, usage and the audit trail.
 */
describe('README walkthrough with the factory CLI', () => {
  let app: FactoryApp;
  beforeAll(async () => {
    app = await startFactoryApp();
  });
  afterAll(() => app?.stop());

  async function walkthrough(tenant: string, decision: 'approve' | 'reject') {
    const platform = new CliUser();
    const login = await platform.run(['login', '--url', app.host.origin, '--key', ADMIN_KEY]);
    expect(login.code).toBe(0);
    expect(fs.statSync(path.join(platform.configHome, 'factory', 'config.json')).mode & 0o777).toBe(0o600);
    await platform.json(['tenant', 'create', tenant, '--name', `Demo ${tenant}`, '--edition', 'pro']);
    const architectKey = (await platform.json(['key', 'create', '-t', tenant, '--name', 'alice', '--roles', 'Architect'])).secret as string;
    const adminKey = (await platform.json(['key', 'create', '-t', tenant, '--name', 'ops', '--roles', 'TenantAdmin'])).secret as string;

    // Each person logs in with their own key; the tenant comes from the key.
    const alice = new CliUser();
    expect((await alice.run(['login', '--url', app.host.origin, '--key', architectKey, '--project', 'vetclinic'])).code).toBe(0);
    const ops = new CliUser();
    expect((await ops.run(['login', '--url', app.host.origin, '--key', adminKey, '--project', 'vetclinic'])).code).toBe(0);
    const me = await alice.json(['whoami']);
    expect(me).toMatchObject({ tenantId: tenant, roles: ['Architect'] });

    await ops.json(['project', 'create', 'vetclinic', '--name', 'Vet clinic']);
    expect(await alice.json(['blueprint', 'submit', VETCLINIC])).toMatchObject({ version: 1, name: 'vetclinic' });

    // The broken blueprint: refused with every problem at file:line:column and its path; nothing stored.
    const broken = await alice.run(['blueprint', 'submit', BROKEN]);
    expect(broken.code).toBe(1);
    expect(broken.stderr).toContain(`${BROKEN}:21:19 spec.modules[0].dependsOn[0]: Dependency cycle: BookingService → StaffService → BookingService.`);
    expect(broken.stderr).toContain(`${BROKEN}:15:13 spec.modules[0].entities[0].fields.startsAt: Unknown field type 'datetim'`);

    const v2File = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'blueprint-')), 'vetclinic-v2.yaml');
    fs.writeFileSync(v2File, fs.readFileSync(VETCLINIC, 'utf8').replace('fields: { petName: string,', 'fields: { petName: string, ownerEmail: email,'));
    expect(await alice.json(['blueprint', 'validate', v2File])).toMatchObject({ valid: true, name: 'vetclinic' });
    expect(await alice.json(['blueprint', 'submit', v2File])).toMatchObject({ version: 2 });
    const diff = await alice.json(['blueprint', 'diff', '1', '2']);
    expect(diff).toMatchObject({ from: 1, to: 2, changed: true, touchedModules: ['BookingService'] });

    // ProjectBootstrap of version 1 runs up to the ArchitectureApproval: --wait ends with exit code 3.
    const waiting = await ops.json(['workflow', 'start', '--blueprint-version', '1', '--wait', '--interval', '250'], 3);
    expect(waiting).toMatchObject({ status: 'Running', outcome: 'waiting-for-approval', approval: { gate: 'ArchitectureApproval' } });
    const workflowId = waiting.workflowId as string;
    const inbox = await alice.json(['approval', 'list']);
    expect(inbox.items.map((a: { id: string }) => a.id)).toContain(waiting.approval.id);
    const decided = await alice.json(['approval', decision, waiting.approval.id, '--comment', decision === 'approve' ? 'ship it' : 'split notifications differently']);
    expect(decided.status).toBe(decision === 'approve' ? 'approved' : 'rejected');

    const done = await ops.json(['workflow', 'watch', workflowId, '--interval', '500'], decision === 'approve' ? 0 : 1);
    return { alice, ops, workflowId, done };
  }

  it('approve: the workflow completes, the code is pulled, usage and the audit trail verify', async () => {
    const { alice, ops, workflowId, done } = await walkthrough('cli-approve', 'approve');
    expect(done).toMatchObject({ status: 'Completed', outcome: 'completed' });
    expect(done.summary.modules.every((m: { validated: boolean }) => m.validated)).toBe(true);

    const shown = await ops.run(['workflow', 'show', workflowId]);
    expect(shown.stdout).toMatch(/✔ BookingService\/ValidateService\s+qa-engineer-\d/);
    expect(shown.stdout).toContain(`committed ${done.summary.artifacts} artifacts to workflow/${workflowId}`);

    const target = fs.mkdtempSync(path.join(os.tmpdir(), 'vetclinic-'));
    const pulled = await alice.json(['artifact', 'pull', '--workflow', workflowId, '--dir', target]);
    expect(pulled.items).toHaveLength(done.summary.artifacts);
    const listed = await alice.json(['artifact', 'list', '--workflow', workflowId, '--kind', 'openapi-contract']);
    expect(listed.items.length).toBe(3);
    for (const artifact of listed.items) expect(fs.readFileSync(path.join(target, artifact.name), 'utf8')).toMatch(/^openapi: 3\.1/m);

    const usage = await ops.json(['usage']);
    expect(usage.totals.records).toBeGreaterThan(0);
    const audit = await ops.run(['audit', 'list', '--limit', '1000', '-o', 'jsonl']);
    const actions = audit.stdout.trim().split('\n').map((line) => JSON.parse(line).action as string);
    expect(actions).toEqual(expect.arrayContaining(['TenantCreated.v1', 'BlueprintRejected.v1', 'WorkflowStarted.v1', 'ApprovalDecided.v1', 'WorkflowCompleted.v1']));
    expect(await ops.json(['audit', 'verify'])).toMatchObject({ ok: true });
  }, 400000);

  it('reject: the workflow ends rejected (exit 1) with nothing committed', async () => {
    const { done } = await walkthrough('cli-reject', 'reject');
    expect(done).toMatchObject({ status: 'Rejected', outcome: 'rejected' });
    expect(done.summary?.commit).toBeUndefined();
  }, 300000);
});
