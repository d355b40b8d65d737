import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { AuditTrail } from '../../shared/audit/service';
import { evaluateRules } from '../../shared/governance/evaluateRules';
import type { PolicyRule } from '../../shared/governance/schemas';
import { createGovernance, type Governance } from '../../shared/governance/service';
import type { Principal } from '../../shared/platform/auth/principal';
import type { Role } from '../../shared/platform/auth/roles';
import { EventOutbox } from '../../shared/platform/eventOutbox';
import { Conflict, Forbidden, NotFound } from '../../shared/platform/http/errors';
import { SqliteDocumentStore } from '../../shared/platform/store';
import { createJsonLinesTelemetry } from '../../shared/platform/telemetry/jsonLinesTelemetry';
import { TenantService } from '../../shared/tenancy/service';
import { FactoryApp, startFactoryApp } from '../support/factoryApp';
import { RecordingMessaging } from '../support/inProcessPlatform';
import { eventually } from '../support/hostProcess';

const TRACE = '0af7651916cd43dd8448eb211c80319c';


/** The governance services over a store on `dataDir`, wired as composition.ts wires the platform. */
function governanceOn(dataDir: string) {
  const store = SqliteDocumentStore.open(dataDir);
  const messaging = new RecordingMessaging();
  const audit = new AuditTrail(store);
  const outbox = new EventOutbox(store, audit, messaging, createJsonLinesTelemetry({ write: () => undefined }));
  const tenants = new TenantService({ store, outbox });
  return { store, messaging, audit, outbox, tenants, governance: createGovernance({ store, outbox, tenants }) };
}

const principal = (tenantId: string | null, ...roles: Role[]): Principal => ({ id: `test:${roles.join('+')}`, tenantId, roles, kind: 'apiKey' });
const admin = principal(null, 'PlatformAdmin');

describe('governance services (in-process)', () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'governance-'));
  let env: ReturnType<typeof governanceOn>;
  let governance: Governance;

  beforeAll(async () => {
    env = governanceOn(dataDir);
    governance = env.governance;
    await env.tenants.create({ tenantId: 'free', name: 'Free', edition: 'free' }, { principal: admin, traceId: TRACE });
    await env.tenants.create({ tenantId: 'pro', name: 'Pro', edition: 'pro' }, { principal: admin, traceId: TRACE });
  });
  afterAll(async () => {
    await env.outbox.settled();
    await env.store.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  const context = (tenantId: string, extra: Record<string, string> = {}) => ({ tenantId, projectId: 'shop', principal: { id: 'test:caller' }, traceId: TRACE, ...extra });

  describe('policy engine', () => {
    it('applies edition entitlements and budgets as built-in workflow-start rules', async () => {
      const full = await governance.engine.evaluate('workflow-start', { workflows: { running: 1 } }, context('free'));
      expect(full).toMatchObject({ point: 'workflow-start', outcome: 'deny', rule: 'builtin.max-concurrent-workflows' });
      expect(full.inputs).toMatchObject({ workflows: { running: 1 }, entitlements: { edition: 'free', maxConcurrentWorkflows: 1 } });

      const broke = await governance.engine.evaluate('workflow-start', { workflows: { running: 0 }, budget: { exceeded: true } }, context('pro'));
      expect(broke).toMatchObject({ outcome: 'deny', rule: 'builtin.budget-exceeded' });

      const fine = await governance.engine.evaluate('workflow-start', { workflows: { running: 9 }, budget: { exceeded: false } }, context('pro'));
      expect(fine).toMatchObject({ outcome: 'allow', rule: 'default-allow', matchedRules: [] });
    });

    it("denies a workflow whose blueprint asks for an edition above the tenant's", async () => {
      const above = await governance.engine.evaluate('workflow-start', { blueprint: { edition: 'pro' }, workflows: { running: 0 } }, context('free'));
      expect(above).toMatchObject({ outcome: 'deny', rule: 'builtin.blueprint-edition' });
      expect(above.inputs).toMatchObject({ entitlements: { edition: 'free', includedEditions: ['free'] } });
      expect((await governance.engine.evaluate('workflow-start', { blueprint: { edition: 'free' }, workflows: { running: 0 } }, context('free'))).outcome).toBe('allow');
      expect((await governance.engine.evaluate('workflow-start', { blueprint: { edition: 'pro' }, workflows: { running: 0 } }, context('pro'))).outcome).toBe('allow');
      expect((await governance.engine.evaluate('workflow-start', { blueprint: { edition: 'enterprise' }, workflows: { running: 0 } }, context('pro'))).rule).toBe('builtin.blueprint-edition');
      expect((await governance.engine.evaluate('workflow-start', { blueprint: {}, workflows: { running: 0 } }, context('free'))).outcome).toBe('allow');
    });

    it('denies production releases without the feature and asks the input approvers otherwise', async () => {
      const free = await governance.engine.evaluate('release', { environment: 'production', approvers: ['ReleaseManager'] }, context('free'));
      expect(free).toMatchObject({ outcome: 'deny', rule: 'builtin.production-releases-feature' });
      expect(free.matchedRules).toEqual(['builtin.production-releases-feature', 'builtin.production-release-approval']);

      const pro = await governance.engine.evaluate('release', { environment: 'production', approvers: ['Architect', 'Approver'] }, context('pro'));
      expect(pro).toMatchObject({ outcome: 'require-approval', rule: 'builtin.production-release-approval', approvers: ['Architect', 'Approver'] });
      const fallback = await governance.engine.evaluate('release', { environment: 'production' }, context('pro'));
      expect(fallback.approvers).toEqual(['ReleaseManager']);
      expect((await governance.engine.evaluate('release', { environment: 'staging' }, context('free'))).outcome).toBe('allow');

      // A feature flag grants what the edition lacks.
      await env.tenants.update('free', { featureFlags: { 'production-releases': true } }, { principal: admin, traceId: TRACE });
      expect((await governance.engine.evaluate('release', { environment: 'production' }, context('free'))).outcome).toBe('require-approval');
    });

    it("adds the tenant's rules: deny beats require-approval beats allow", async () => {
      const rules: PolicyRule[] = [
        { id: 'weekend-freeze', point: 'release', description: 'No releases at weekends', when: [{ field: 'calendar.day', op: 'in', value: ['sat', 'sun'] }], outcome: 'deny' },
        { id: 'big-change', point: 'release', description: 'Large changes need an architect', when: [{ field: 'change.modules', op: 'gt', value: 3 }], outcome: 'require-approval', approvers: ['Architect'] },
        { id: 'staging-ok', point: 'release', description: 'Staging is always fine', when: [{ field: 'environment', op: 'eq', value: 'staging' }], outcome: 'allow' },
      ];
      await governance.policies.replace('pro', rules, { principal: admin, traceId: TRACE });

      const weekend = await governance.engine.evaluate('release', { environment: 'staging', calendar: { day: 'sun' }, change: { modules: 5 } }, context('pro'));
      expect(weekend).toMatchObject({ outcome: 'deny', rule: 'weekend-freeze', reason: 'No releases at weekends' });
      expect(weekend.matchedRules).toEqual(['weekend-freeze', 'big-change', 'staging-ok']);

      const big = await governance.engine.evaluate('release', { environment: 'production', calendar: { day: 'mon' }, change: { modules: 5 }, approvers: ['ReleaseManager'] }, context('pro'));
      expect(big).toMatchObject({ outcome: 'require-approval', rule: 'builtin.production-release-approval', approvers: ['ReleaseManager', 'Architect'] });

      const staging = await governance.engine.evaluate('release', { environment: 'staging', calendar: { day: 'mon' } }, context('pro'));
      expect(staging).toMatchObject({ outcome: 'allow', rule: 'staging-ok' });
      await governance.policies.replace('pro', [], { principal: admin, traceId: TRACE });
    });

    it('matches conditions on present fields only, by value, list membership, order and references', () => {
      const rule = (when: PolicyRule['when']): PolicyRule[] => [{ id: 'r', point: 'approval', description: 'r', when, outcome: 'deny' }];
      const denies = (when: PolicyRule['when'], input: Record<string, unknown>) => evaluateRules(rule(when), 'approval', input).outcome === 'deny';
      expect(denies([{ field: 'a.b', op: 'eq', value: 1 }], { a: { b: 1 } })).toBe(true);
      expect(denies([{ field: 'a.b', op: 'neq', value: 1 }], {})).toBe(false);
      expect(denies([{ field: 'a', op: 'exists' }], { a: 0 })).toBe(true);
      expect(denies([{ field: 'a', op: 'exists', value: false }], {})).toBe(true);
      expect(denies([{ field: 'env', op: 'notIn', value: ['dev'] }], { env: 'production' })).toBe(true);
      expect(denies([{ field: 'tags', op: 'contains', value: 'pci' }], { tags: ['pci', 'gdpr'] })).toBe(true);
      expect(denies([{ field: 'at', op: 'lt', value: '2025-01-01' }], { at: '2024-12-31T23:00:00Z' })).toBe(true);
      expect(denies([{ field: 'n', op: 'gte', value: 2 }], { n: '3' })).toBe(false);
      expect(denies([{ field: 'used', op: 'gt', value: { ref: 'limit' } }], { used: 11, limit: 10 })).toBe(true);
      expect(denies([{ field: 'used', op: 'gt', value: { ref: 'limit' } }], { used: 11 })).toBe(false);
      expect(denies([{ field: 'toString', op: 'exists' }], {})).toBe(false);
      expect(denies([], {})).toBe(true);
    });

    it('records every decision with PolicyDecided.v1 in the audit trail, once per decision id', async () => {
      const first = await governance.engine.evaluate('workflow-start', { workflows: { running: 0 } }, context('pro', { decisionId: 'wf-1:policy', workflowId: 'wf-1' }));
      const again = await governance.engine.evaluate('workflow-start', { workflows: { running: 99 } }, context('pro', { decisionId: 'wf-1:policy', workflowId: 'wf-1' }));
      expect(again).toEqual(first);
      expect(first).toMatchObject({ id: 'wf-1:policy', workflowId: 'wf-1', projectId: 'shop', decidedBy: 'test:caller', traceId: TRACE });
      expect(await governance.engine.get('pro', 'wf-1:policy')).toEqual(first);

      await env.outbox.settled();
      const entries = (await env.audit.list('pro', { limit: 1000 })).items.filter((entry) => entry.action === 'PolicyDecided.v1');
      const page = await governance.engine.list('pro', { limit: 1000 });
      expect(entries).toHaveLength(page.items.length);
      const audited = entries.find((entry) => (entry.data as { decisionId: string }).decisionId === 'wf-1:policy')!;
      expect(audited).toMatchObject({ actor: 'test:caller', subject: 'policy-decisions/wf-1:policy', data: { outcome: 'allow', rule: 'default-allow', point: 'workflow-start' } });
      expect((await env.audit.verify('pro')).ok).toBe(true);
    });
  });

  describe('approvals', () => {
    const request = (approvalId: string, roles: Role[] = ['Approver'], escalationRoles: Role[] = ['TenantAdmin']) =>
      governance.approvals.request({ tenantId: 'pro', projectId: 'shop', workflowId: 'wf-7', gate: 'ArchitectureApproval', subject: 'Architecture of shop', roles, escalationRoles, instanceId: `inst-${approvalId}`, traceId: TRACE, approvalId });
    const events = (type: string, approvalId: string) =>
      env.messaging.published.filter((m) => m.subject === type && (m.body as { data: { approvalId: string } }).data.approvalId === approvalId);

    it('records a request once per approval id', async () => {
      const first = await request('apr-once');
      const again = await request('apr-once', ['Viewer']);
      expect(again).toEqual(first);
      expect(first).toMatchObject({ id: 'apr-once', status: 'pending', roles: ['Approver'], eligibleRoles: ['Approver'], escalated: false, instanceId: 'inst-apr-once' });
      await env.outbox.settled();
      expect(events('ApprovalRequested.v1', 'apr-once')).toHaveLength(1);
      await expect(request('bad/id')).rejects.toMatchObject({ status: 400 });
    });

    it('lets exactly one of 20 concurrent decisions win; the others get 409', async () => {
      await request('apr-race');
      const approver = principal('pro', 'Approver');
      const results = await Promise.allSettled(
        Array.from({ length: 20 }, (_, i) => governance.approvals.decide('pro', 'apr-race', { decision: i % 2 ? 'approve' : 'reject', comment: `#${i}` }, { ...approver, id: `approver-${i}` }, TRACE)),
      );
      const applied = results.filter((r) => r.status === 'fulfilled');
      const refused = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
      expect(applied).toHaveLength(1);
      expect(refused).toHaveLength(19);
      for (const r of refused) expect(r.reason).toBeInstanceOf(Conflict);
      const stored = await governance.approvals.get('pro', 'apr-race');
      expect(stored).toEqual((applied[0] as PromiseFulfilledResult<unknown>).value);
      expect(stored.decidedBy).toMatch(/^approver-\d+$/);
      await env.outbox.settled();
      expect(events('ApprovalDecided.v1', 'apr-race')).toHaveLength(1);
    });

    it('refuses principals without a listed role, and another tenant, but always a PlatformAdmin', async () => {
      await request('apr-roles');
      await expect(governance.approvals.decide('pro', 'apr-roles', { decision: 'approve' }, principal('pro', 'Viewer'))).rejects.toBeInstanceOf(Forbidden);
      await expect(governance.approvals.decide('pro', 'apr-roles', { decision: 'approve' }, principal('free', 'Approver'))).rejects.toBeInstanceOf(NotFound);
      await expect(governance.approvals.decide('pro', 'apr-missing', { decision: 'approve' }, principal('pro', 'Approver'))).rejects.toBeInstanceOf(NotFound);
      const decided = await governance.approvals.decide('pro', 'apr-roles', { decision: 'reject', comment: 'not yet' }, admin);
      expect(decided).toMatchObject({ status: 'rejected', decidedBy: admin.id, comment: 'not yet' });
    });

    it('admits the escalation roles once escalated, escalating only once', async () => {
      await request('apr-esc', ['Approver'], ['TenantAdmin', 'ReleaseManager']);
      const tenantAdmin = principal('pro', 'TenantAdmin');
      await expect(governance.approvals.decide('pro', 'apr-esc', { decision: 'approve' }, tenantAdmin)).rejects.toBeInstanceOf(Forbidden);
      const escalated = await governance.approvals.escalate('pro', 'apr-esc');
      expect(escalated).toMatchObject({ escalated: true, eligibleRoles: ['Approver', 'TenantAdmin', 'ReleaseManager'] });
      expect(await governance.approvals.escalate('pro', 'apr-esc')).toEqual(escalated);
      expect(await governance.approvals.decide('pro', 'apr-esc', { decision: 'approve' }, tenantAdmin)).toMatchObject({ status: 'approved', decidedBy: tenantAdmin.id });
      await env.outbox.settled();
      expect(events('ApprovalEscalated.v1', 'apr-esc')).toHaveLength(1);
    });

    it('expires a pending approval as rejected, once, and leaves a decided one alone', async () => {
      await request('apr-exp');
      const expired = await governance.approvals.expire('pro', 'apr-exp');
      expect(expired).toMatchObject({ status: 'expired', decidedAt: expect.any(String) });
      expect(await governance.approvals.expire('pro', 'apr-exp')).toEqual(expired);
      await expect(governance.approvals.decide('pro', 'apr-exp', { decision: 'approve' }, principal('pro', 'Approver'))).rejects.toMatchObject({ status: 409, code: 'ApprovalAlreadyDecided' });
      await env.outbox.settled();
      const decided = events('ApprovalDecided.v1', 'apr-exp');
      expect(decided.map((m) => (m.body as { data: unknown }).data)).toEqual([{ approvalId: 'apr-exp', gate: 'ArchitectureApproval', decision: 'expired' }]);

      await request('apr-late');
      await governance.approvals.decide('pro', 'apr-late', { decision: 'approve' }, principal('pro', 'Approver'));
      expect((await governance.approvals.expire('pro', 'apr-late')).status).toBe('approved');
      expect((await governance.approvals.escalate('pro', 'apr-late')).escalated).toBe(false);
    });

    it('cancels with the reason when the workflow is cancelled', async () => {
      await request('apr-cancel');
      const cancelled = await governance.approvals.cancel('pro', 'apr-cancel', 'workflow cancelled by test:caller');
      expect(cancelled).toMatchObject({ status: 'cancelled', comment: 'workflow cancelled by test:caller' });
      expect(await governance.approvals.cancel('pro', 'apr-cancel', 'again')).toEqual(cancelled);
      // Of everything requested in this suite only the first request was never decided.
      expect((await governance.approvals.list('pro', { status: 'pending', limit: 100 })).items.map((a) => a.id)).toEqual(['apr-once']);
    });
  });
});

describe('governance API', () => {
  let app: FactoryApp;
  const keys: Record<string, string> = {};

  beforeAll(async () => {
    app = await startFactoryApp();
    for (const [tenantId, edition] of [['vet', 'pro'], ['rival', 'pro']]) {
      expect((await app.call('POST', 'tenants', { body: { tenantId, name: tenantId, edition } })).status).toBe(201);
    }
    for (const role of ['TenantAdmin', 'Architect', 'Approver', 'Viewer', 'Developer']) {
      const res = await app.call<{ secret: string }>('POST', 'tenants/vet/keys', { body: { name: role, roles: [role] } });
      expect(res.status).toBe(201);
      keys[role] = res.body.secret;
    }
    keys.rival = (await app.call<{ secret: string }>('POST', 'tenants/rival/keys', { body: { name: 'admin', roles: ['TenantAdmin'] } })).body.secret;
  });
  afterAll(() => app?.stop());

  const rule = { id: 'pci-review', point: 'release', description: 'PCI modules need an architect', when: [{ field: 'modules.tags', op: 'contains', value: 'pci' }], outcome: 'require-approval', approvers: ['Architect'] };

  it("replaces and reads the tenant's rules, TenantAdmin only", async () => {
    const put = await app.call('PUT', 'tenants/vet/policies', { key: keys.TenantAdmin, body: { rules: [rule, { id: 'always', point: 'approval', description: 'fine', outcome: 'allow' }] } });
    expect(put.status).toBe(200);
    const got = await app.call('GET', 'tenants/vet/policies', { key: keys.TenantAdmin });
    expect(got.status).toBe(200);
    expect(got.body.rules).toEqual([rule, { id: 'always', point: 'approval', description: 'fine', when: [], outcome: 'allow' }]);
    expect(got.body.builtIn.map((r: { id: string }) => r.id)).toContain('builtin.max-concurrent-workflows');
    expect(got.body.updatedBy).toMatch(/^apikey:vet\./);

    expect((await app.call('PUT', 'tenants/vet/policies', { key: keys.Architect, body: { rules: [] } })).status).toBe(403);
    expect((await app.call('GET', 'tenants/vet/policies', { key: keys.Viewer })).status).toBe(403);
    expect((await app.call('GET', 'tenants/vet/policies', { key: keys.rival })).status).toBe(404);
    expect((await app.call('GET', 'tenants/ghost/policies')).status).toBe(404);
    expect((await app.call('PUT', 'tenants/ghost/policies', { body: { rules: [] } })).status).toBe(404);
  });

  it('answers a PUT with a stale If-Match with 412, leaving the rules as they were', async () => {
    const read = await app.call('GET', 'tenants/vet/policies', { key: keys.TenantAdmin });
    const etag = read.headers.get('etag')!;
    expect(etag).toBeTruthy();
    const first = await app.call('PUT', 'tenants/vet/policies', { key: keys.TenantAdmin, body: { rules: [rule] }, headers: { 'if-match': etag } });
    expect(first.status).toBe(200);
    const stale = await app.call('PUT', 'tenants/vet/policies', { key: keys.TenantAdmin, body: { rules: [] }, headers: { 'if-match': etag } });
    expect(stale.status).toBe(412);
    expect(stale.body).toMatchObject({ code: 'PreconditionFailed' });
    expect((await app.call('GET', 'tenants/vet/policies', { key: keys.TenantAdmin })).body.rules).toEqual([rule]);
    // Without a precondition the last writer wins, as before.
    expect((await app.call('PUT', 'tenants/vet/policies', { key: keys.TenantAdmin, body: { rules: [rule] } })).status).toBe(200);
  });

  it('reports every invalid rule field with its path', async () => {
    const res = await app.call('PUT', 'tenants/vet/policies', {
      key: keys.TenantAdmin,
      body: {
        rules: [
          { id: 'a', point: 'deploy', description: 'x', when: [{ field: 'env', op: 'like', value: 'prod' }], outcome: 'deny' },
          { id: 'b', point: 'release', when: [{ field: '1bad path', op: 'eq', value: 1 }], outcome: 'allow' },
          { id: 'c', point: 'release', description: 'x', when: [{ field: 'env', op: 'in', value: 'prod' }, { field: 'n', op: 'gt' }], outcome: 'deny', approvers: ['Architect'] },
          { id: 'default-allow', point: 'release', description: 'x', outcome: 'require-approval', approvers: ['Nobody'] },
        ],
      },
    });
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    expect(res.body.errors.map((e: { path: string }) => e.path).sort()).toEqual(
      [
        'body.rules[0].point',
        'body.rules[0].when[0].op',
        'body.rules[1].description',
        'body.rules[1].when[0].field',
        'body.rules[2].approvers',
        'body.rules[2].when[0].value',
        'body.rules[2].when[1].value',
        'body.rules[3].approvers[0]',
        'body.rules[3].id',
      ].sort(),
    );
    const dupes = await app.call('PUT', 'tenants/vet/policies', { key: keys.TenantAdmin, body: { rules: [rule, rule] } });
    expect(dupes.body.errors).toEqual([expect.objectContaining({ path: 'body.rules[1].id' })]);
    expect((await app.call('PUT', 'tenants/vet/policies', { key: keys.TenantAdmin, body: { rules: [], extra: 1 } })).body.errors[0].path).toBe('body');
  });

  it('shows recorded decisions to readers and in the audit trail', async () => {
    const local = governanceOn(app.host.dataDir);
    try {
      const ctx = { tenantId: 'vet', projectId: 'clinic', principal: { id: 'test:workflow' }, traceId: TRACE };
      await local.governance.engine.evaluate('workflow-start', { workflows: { running: 10 } }, { ...ctx, decisionId: 'dec-1' });
      await local.governance.engine.evaluate('release', { environment: 'production', modules: { tags: ['pci'] }, approvers: ['ReleaseManager'] }, { ...ctx, decisionId: 'dec-2' });
      await local.outbox.settled();
    } finally {
      await local.store.close();
    }

    const page = await app.call('GET', 'tenants/vet/policy-decisions?limit=1', { key: keys.Viewer });
    expect(page.status).toBe(200);
    expect(page.body.items).toEqual([expect.objectContaining({ id: 'dec-2', outcome: 'require-approval', rule: 'builtin.production-release-approval', approvers: ['ReleaseManager', 'Architect'] })]);
    const rest = await app.call('GET', `tenants/vet/policy-decisions?limit=10&continuation=${encodeURIComponent(page.body.continuation)}`, { key: keys.Viewer });
    expect(rest.body.items.map((d: { id: string }) => d.id)).toEqual(['dec-1']);
    const denied = await app.call('GET', 'tenants/vet/policy-decisions?outcome=deny', { key: keys.Approver });
    expect(denied.body.items).toEqual([expect.objectContaining({ id: 'dec-1', rule: 'builtin.max-concurrent-workflows', inputs: expect.objectContaining({ workflows: { running: 10 } }) })]);
    expect((await app.call('GET', 'tenants/vet/policy-decisions/dec-1', { key: keys.Viewer })).body.reason).toMatch(/concurrently running workflows/);
    expect((await app.call('GET', 'tenants/vet/policy-decisions/nope', { key: keys.Viewer })).status).toBe(404);
    expect((await app.call('GET', 'tenants/vet/policy-decisions', { key: keys.Developer })).status).toBe(403);
    expect((await app.call('GET', 'tenants/vet/policy-decisions', { key: keys.rival })).status).toBe(404);
    expect((await app.call('GET', 'tenants/vet/policy-decisions?outcome=maybe', { key: keys.Viewer })).body.errors[0].path).toBe('query.outcome');

    const audit = await eventually(async () => {
      const res = await app.call('GET', 'tenants/vet/audit?limit=1000', { key: keys.TenantAdmin });
      const actions: string[] = res.body.items.map((e: { action: string }) => e.action);
      return actions.filter((a) => a === 'PolicyDecided.v1').length === 2 && actions.includes('PoliciesUpdated.v1') ? res.body.items : undefined;
    });
    expect(audit.find((e: { action: string }) => e.action === 'PolicyDecided.v1')).toMatchObject({ actor: 'test:workflow', traceId: TRACE, data: { decisionId: 'dec-1', outcome: 'deny' } });
  });

  it('lists pending approvals and takes the first decision; later ones get 409', async () => {
    const local = governanceOn(app.host.dataDir);
    try {
      for (const approvalId of ['gate-1', 'gate-2']) {
        await local.governance.approvals.request({ tenantId: 'vet', projectId: 'clinic', workflowId: 'wf-1', gate: 'ArchitectureApproval', subject: 'Architecture', roles: ['Approver'], escalationRoles: ['TenantAdmin'], instanceId: `no-such-instance-${approvalId}`, traceId: TRACE, approvalId });
      }
      await local.outbox.settled();
    } finally {
      await local.store.close();
    }

    const inbox = await app.call('GET', 'tenants/vet/approvals?status=pending&projectId=clinic', { key: keys.Architect });
    expect(inbox.status).toBe(200);
    expect(inbox.body.items.map((a: { id: string }) => a.id)).toEqual(['gate-1', 'gate-2']);
    expect((await app.call('GET', 'tenants/vet/approvals', { key: keys.Developer })).status).toBe(403);
    expect((await app.call('GET', 'tenants/vet/approvals/gate-1', { key: keys.rival })).status).toBe(404);
    expect((await app.call('GET', 'tenants/vet/approvals/nope', { key: keys.Viewer })).status).toBe(404);

    const decide = (approvalId: string, key: string | undefined, body: unknown) => app.call('POST', `tenants/vet/approvals/${approvalId}/decision`, { key, body });
    const viewer = await decide('gate-1', keys.Viewer, { decision: 'approve' });
    expect(viewer.status).toBe(403);
    expect(viewer.body.code).toBe('NotAnApprover');
    expect((await decide('gate-1', keys.Approver, { decision: 'maybe' })).body.errors[0].path).toBe('body.decision');

    // The instance does not exist: the decision still stands.
    const approved = await decide('gate-1', keys.Approver, { decision: 'approve', comment: 'looks right' });
    expect(approved.status).toBe(200);
    expect(approved.body).toMatchObject({ id: 'gate-1', status: 'approved', comment: 'looks right', decidedBy: expect.stringMatching(/^apikey:vet\./) });
    await eventually(async () => app.host.output.find((line) => line.includes('could not be notified') && line.includes('no-such-instance-gate-1')));
    for (const key of [keys.Approver, undefined]) {
      const late = await decide('gate-1', key, { decision: 'reject' });
      expect(late.status).toBe(409);
      expect(late.body.code).toBe('ApprovalAlreadyDecided');
    }
    // Before an escalation only the listed roles may decide.
    expect((await decide('gate-2', keys.TenantAdmin, { decision: 'reject' })).status).toBe(403);
    expect((await decide('nope', keys.Approver, { decision: 'approve' })).status).toBe(404);
    expect((await decide('gate-2', keys.rival, { decision: 'approve' })).status).toBe(404);

    const pending = await app.call('GET', 'tenants/vet/approvals?status=pending', { key: keys.Viewer });
    expect(pending.body.items.map((a: { id: string }) => a.id)).toEqual(['gate-2']);
    expect((await app.call('GET', 'tenants/vet/approvals/gate-1', { key: keys.Viewer })).body.status).toBe('approved');

    await eventually(async () => {
      const res = await app.call('GET', 'tenants/vet/audit?limit=1000', { key: keys.TenantAdmin });
      const decided = res.body.items.find((e: { action: string }) => e.action === 'ApprovalDecided.v1');
      return decided?.data.decidedBy === approved.body.decidedBy ? decided : undefined;
    });
  });

  it('is described in openapi.json', async () => {
    const doc = await app.call<{ paths: Record<string, Record<string, unknown>> }>('GET', 'openapi.json', { key: '' });
    const base = '/api/tenants/{tenantId}';
    expect(Object.keys(doc.body.paths[`${base}/policies`]).sort()).toEqual(['get', 'put']);
    for (const suffix of ['/policy-decisions', '/policy-decisions/{decisionId}', '/approvals', '/approvals/{approvalId}']) expect(doc.body.paths[`${base}${suffix}`]).toHaveProperty('get');
    expect(doc.body.paths[`${base}/approvals/{approvalId}/decision`]).toHaveProperty('post');
  });
});
