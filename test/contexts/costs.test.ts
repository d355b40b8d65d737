import fs from 'node:fs';
import { AuditTrail } from '../../shared/audit/service';
import { BudgetService } from '../../shared/costs/budgetService';
import { DEFAULT_PRICE_TABLE, toPriceTable } from '../../shared/costs/priceTable';
import { CostRollup } from '../../shared/costs/rollupService';
import type { UsageInput, UsageRecordDocument, UsageRollupDocument, UsageView } from '../../shared/costs/schemas';
import { UsageService } from '../../shared/costs/service';
import { UsageReport } from '../../shared/costs/usageReport';
import { configSchema } from '../../shared/platform/config';
import { EventOutbox } from '../../shared/platform/eventOutbox';
import { Validation } from '../../shared/platform/http/errors';
import { SqliteDocumentStore } from '../../shared/platform/store/sqliteDocumentStore';
import { createJsonLinesTelemetry } from '../../shared/platform/telemetry/jsonLinesTelemetry';
import { FactoryApp, startFactoryApp } from '../support/factoryApp';
import { RecordingMessaging } from '../support/inProcessPlatform';
import { eventually, tempDataDir } from '../support/hostProcess';

const TRACE = '4bf92f3577b34da6a3ce929d0e0e4736';


type Published = { type: string; projectid?: string; data: { period: string; budget: number; actual: number; currency: string } };

describe('costs services (SQLite store)', () => {
  const dataDir = tempDataDir('costs-service-');
  const store = SqliteDocumentStore.open(dataDir);
  const messaging = new RecordingMessaging();
  const outbox = new EventOutbox(store, new AuditTrail(store), messaging, createJsonLinesTelemetry({ write: () => undefined }));
  let now = new Date('2025-06-10T12:00:00Z');
  const clock = () => now;
  const usage = new UsageService({ store, now: clock });
  const budgets = new BudgetService({ store, outbox, now: clock });
  const reports = new UsageReport({ store, budgets, now: clock });
  const costRollup = new CostRollup({ store, outbox, now: clock });
  const change = { principal: { id: 'apikey:agent' }, traceId: TRACE };
  let task = 0;
  const work = (fields: Partial<UsageInput> = {}): UsageInput => ({
    tenantId: 'acme',
    projectId: 'shop',
    workflowId: 'wf-1',
    taskId: `task-${++task}`,
    attempt: 1,
    agentRole: 'backend-developer',
    skill: 'GenerateService',
    provider: 'azure-openai',
    model: 'gpt-4o',
    tokensIn: 1000,
    tokensOut: 500,
    durationMs: 1200,
    ...fields,
  });
  const published = async (type: string) => {
    await outbox.drain();
    return messaging.published.map((m) => m.body as Published).filter((e) => e.type === type);
  };
  const rollupDocuments = async (projectId: string) =>
    (await store.query<UsageRollupDocument>('usage', { tenantId: 'acme', projectId }, { where: [{ field: 'type', op: '=', value: 'usageRollup' }], orderBy: { field: 'id' } })).items;

  beforeAll(async () => {
    const at = now.toISOString();
    await store.create('tenants', { id: 'acme', tenantId: 'acme', type: 'tenant', name: 'Acme', edition: 'pro', featureFlags: {}, createdAt: at, createdBy: 'test', updatedAt: at });
    for (const id of ['shop', 'blog', 'wiki']) {
      await store.create('projects', { id, tenantId: 'acme', type: 'project', name: id, environments: ['dev'], createdAt: at, createdBy: 'test', updatedAt: at });
    }
  });
  afterAll(async () => {
    await outbox.settled();
    await store.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('estimates cost from the price table: tokens for models, compute time for builtin, overrides by name', async () => {
    const gpt4o = await usage.record(work({ projectId: 'wiki', tokensIn: 1000, tokensOut: 500 }), change);
    expect(gpt4o).toMatchObject({ costUsd: 0.0075, priceKey: 'gpt-4o', period: '2025-06', at: '2025-06-10T12:00:00.000Z', recordedAt: '2025-06-10T12:00:00.000Z' });
    const mini = await usage.record(work({ projectId: 'wiki', model: 'gpt-4o-mini', tokensIn: 2000, tokensOut: 1000 }), change);
    expect(mini.costUsd).toBeCloseTo(0.0009, 12);
    const builtin = await usage.record(work({ projectId: 'wiki', provider: 'builtin', model: 'builtin', tokensIn: 0, tokensOut: 0, durationMs: 2500 }), change);
    expect(builtin.costUsd).toBeCloseTo(2.5 * DEFAULT_PRICE_TABLE.builtin.computeUsdPerSecond!, 12);
    const unknown = await usage.record(work({ projectId: 'wiki', model: 'some-deployment' }), change);
    expect(unknown).toMatchObject({ priceKey: 'default', costUsd: 0.0075 });

    const parsed = configSchema.parse({ FACTORY_PRICE_TABLE: JSON.stringify({ 'some-deployment': { inputUsdPer1K: 0.001, outputUsdPer1K: 0.002 } }) });
    const priced = new UsageService({ store, now: clock, prices: toPriceTable(parsed.FACTORY_PRICE_TABLE) });
    expect(await priced.record(work({ projectId: 'wiki', model: 'some-deployment', tokensIn: 3000, tokensOut: 1000 }), change)).toMatchObject({ priceKey: 'some-deployment', costUsd: 0.005 });
    expect(configSchema.safeParse({ FACTORY_PRICE_TABLE: '{"gpt-4o":{"inputUsdPer1K":-1,"outputUsdPer1K":0}}' }).success).toBe(false);
    expect(configSchema.safeParse({ FACTORY_PRICE_TABLE: 'not json' }).success).toBe(false);
  });

  it('records a task attempt once, however often it is delivered', async () => {
    const input = work({ projectId: 'blog', taskId: 'dup-task', attempt: 2 });
    const results = await Promise.all(Array.from({ length: 5 }, () => usage.record(input, change)));
    expect(new Set(results.map((r) => r.recordId)).size).toBe(1);
    const again = await usage.record({ ...input, tokensIn: 99999 }, change);
    expect(again).toEqual(results[0]);
    const retry = await usage.record({ ...input, attempt: 3 }, change);
    expect(retry.recordId).not.toBe(again.recordId);

    const records = await store.query<UsageRecordDocument>('usage', { tenantId: 'acme', projectId: 'blog' }, { where: [{ field: 'type', op: '=', value: 'usageRecord' }, { field: 'taskId', op: '=', value: 'dup-task' }] });
    expect(records.items.map((r) => r.attempt).sort()).toEqual([2, 3]);
    expect((await budgets.status('acme', 'blog')).spentUsd).toBeCloseTo(0.015, 12);
  });

  it('refuses malformed usage with the paths of the problems', async () => {
    const bad = { ...work(), tokensIn: -1, projectId: '_tenant' } as UsageInput;
    const error = await usage.record(bad, change).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Validation);
    expect((error as Validation).errors.map((e) => e.path).sort()).toEqual(['usage.projectId', 'usage.tokensIn']);
  });

  it('rolls usage up into days and months per project and tenant, by role, skill and model; re-running changes nothing', async () => {
    await usage.record(work({ agentRole: 'architect', skill: 'DesignArchitecture', model: 'gpt-4o', tokensIn: 2000, tokensOut: 1000 }), change); // 0.015
    await usage.record(work({ model: 'gpt-4o-mini', tokensIn: 1000, tokensOut: 1000, at: '2025-06-09T23:59:00Z' }), change); // 0.00075
    await usage.record(work({ provider: 'builtin', model: 'builtin', skill: 'ScaffoldRepo', tokensIn: 0, tokensOut: 0, durationMs: 10_000 }), change); // 0.00016

    const first = await costRollup.rollup(now);
    expect(first).toMatchObject({ months: ['2025-05', '2025-06'], tenants: 1, projectsFolded: 3 });

    const month = await reports.get('acme', { projectId: 'shop' });
    expect(month).toMatchObject({ period: '2025-06', granularity: 'month', totals: { records: 3, tokensIn: 3000, tokensOut: 2000, durationMs: 12_400 } });
    expect(month.totals.costUsd).toBeCloseTo(0.01591, 12);
    expect(month.byAgentRole.map((r) => [r.name, r.records])).toEqual([['architect', 1], ['backend-developer', 2]]);
    expect(month.byModel.map((m) => m.name)).toEqual(['gpt-4o', 'gpt-4o-mini', 'builtin']);
    expect(month.bySkill.find((s) => s.name === 'ScaffoldRepo')?.costUsd).toBeCloseTo(0.00016, 12);
    expect(month.rolledUpAt).toBe(now.toISOString());

    const day9 = await reports.get('acme', { projectId: 'shop', period: '2025-06-09' });
    expect(day9).toMatchObject({ granularity: 'day', totals: { records: 1, tokensIn: 1000 } });
    expect((await reports.get('acme', { projectId: 'shop', period: '2025-06-10' })).totals.records).toBe(2);

    const tenant = await reports.get('acme', { period: '2025-06' });
    expect(tenant.projectId).toBeNull();
    expect(tenant.totals.records).toBe(3 + 2 + 5); // shop, blog, wiki
    expect(tenant.totals.costUsd).toBeCloseTo(month.totals.costUsd + (await budgets.status('acme', 'blog')).spentUsd + (await budgets.status('acme', 'wiki')).spentUsd, 9);
    expect(tenant.budget.spentUsd).toBeCloseTo(tenant.totals.costUsd, 12);

    const before = await rollupDocuments('shop');
    now = new Date('2025-06-10T13:00:00Z');
    expect(await costRollup.rollup(now)).toMatchObject({ projectsFolded: 0, rollupsWritten: 0, budgetsExceeded: 0 });
    expect(await rollupDocuments('shop')).toEqual(before);

    await usage.record(work({ at: '2025-06-09T08:00:00Z' }), change); // a late result for yesterday
    expect(await costRollup.rollup(now)).toMatchObject({ projectsFolded: 1, rollupsWritten: 4 }); // the project's day and month, the tenant's day and month
    expect((await reports.get('acme', { projectId: 'shop', period: '2025-06-09' })).totals.records).toBe(2);
    expect((await reports.get('acme', { period: '2025-06' })).totals.records).toBe(11);
  });

  it('reports budget status live and emits BudgetExceeded once per scope and month', async () => {
    expect(await budgets.set('acme', 'shop', { monthlyBudgetUsd: 0.05 }, change)).toMatchObject({ projectId: 'shop', monthlyBudgetUsd: 0.05, updatedBy: 'apikey:agent' });
    await budgets.set('acme', undefined, { monthlyBudgetUsd: 0.2 }, change);
    const shop = await budgets.status('acme', 'shop');
    expect(shop).toMatchObject({ period: '2025-06', budgetUsd: 0.05, exceeded: false });
    expect((await budgets.status('acme')).exceeded).toBe(false);

    await costRollup.rollup(now);
    expect(await published('BudgetExceeded.v1')).toEqual([]);

    for (let i = 0; i < 6; i++) await usage.record(work(), change); // 6 × 0.0075 = 0.045
    const over = await budgets.status('acme', 'shop');
    expect(over.exceeded).toBe(true);
    expect(over.spentUsd).toBeGreaterThan(0.05);
    expect((await budgets.status('acme', 'blog')).exceeded).toBe(false);

    expect((await costRollup.rollup(now)).budgetsExceeded).toBe(1);
    expect((await costRollup.rollup(now)).budgetsExceeded).toBe(0);
    const events = await published('BudgetExceeded.v1');
    expect(events).toEqual([expect.objectContaining({ projectid: 'shop', data: { period: '2025-06', budget: 0.05, actual: over.spentUsd, currency: 'USD' } })]);

    for (let i = 0; i < 13; i++) await usage.record(work({ projectId: 'blog' }), change); // the tenant passes 0.2
    expect((await budgets.status('acme')).exceeded).toBe(true);
    await costRollup.rollup(now);
    await costRollup.rollup(now);
    const tenantEvents = (await published('BudgetExceeded.v1')).filter((e) => e.projectid === undefined);
    expect(tenantEvents).toHaveLength(1);
    expect(tenantEvents[0].data).toMatchObject({ period: '2025-06', budget: 0.2 });

    now = new Date('2025-07-01T00:00:00Z');
    expect(await budgets.status('acme', 'shop')).toEqual({ period: '2025-07', budgetUsd: 0.05, spentUsd: 0, exceeded: false });
    for (let i = 0; i < 7; i++) await usage.record(work(), change);
    await costRollup.rollup(now);
    expect((await published('BudgetExceeded.v1')).filter((e) => e.projectid === 'shop').map((e) => e.data.period)).toEqual(['2025-06', '2025-07']);
    expect((await published('BudgetSet.v1')).length).toBe(2);
  });
});

describe('costs API', () => {
  let app: FactoryApp;
  const keys: Record<string, string> = {};
  const newKey = async (tenantId: string, role: string) => {
    const res = await app.call<{ secret: string }>('POST', `tenants/${tenantId}/keys`, { body: { name: role, roles: [role] } });
    expect(res.status).toBe(201);
    return res.body.secret;
  };
  const putBudget = (body: unknown, key = keys.TenantAdmin, tenantId = 'vet') => app.call('PUT', `tenants/${tenantId}/budget`, { key, body });

  beforeAll(async () => {
    app = await startFactoryApp();
    for (const tenantId of ['vet', 'rival']) expect((await app.call('POST', 'tenants', { body: { tenantId, name: tenantId, edition: 'pro' } })).status).toBe(201);
    for (const role of ['TenantAdmin', 'Viewer', 'Developer', 'Agent']) keys[role] = await newKey('vet', role);
    keys.rival = await newKey('rival', 'TenantAdmin');
    expect((await app.call('POST', 'tenants/vet/projects', { key: keys.TenantAdmin, body: { projectId: 'clinic', name: 'Clinic' } })).status).toBe(201);
  });
  afterAll(() => app?.stop());

  it('has no budget at first, then the one set, for the tenant and for a project', async () => {
    const none = await app.call('GET', 'tenants/vet/budget', { key: keys.TenantAdmin });
    expect(none.status).toBe(200);
    expect(none.body).toMatchObject({ tenantId: 'vet', projectId: null, monthlyBudgetUsd: null, currency: 'USD', status: { budgetUsd: null, spentUsd: 0, exceeded: false } });
    expect(none.body.status.period).toMatch(/^\d{4}-\d{2}$/);

    const set = await putBudget({ monthlyBudgetUsd: 250 });
    expect(set.status).toBe(200);
    expect(set.body).toMatchObject({ monthlyBudgetUsd: 250, updatedBy: expect.stringMatching(/^apikey:vet\./), status: { budgetUsd: 250, exceeded: false } });
    expect((await putBudget({ monthlyBudgetUsd: 40, projectId: 'clinic' })).body).toMatchObject({ projectId: 'clinic', monthlyBudgetUsd: 40 });
    expect((await app.call('GET', 'tenants/vet/budget', { key: keys.TenantAdmin })).body.monthlyBudgetUsd).toBe(250);
    expect((await app.call('GET', 'tenants/vet/budget?projectId=clinic', { key: keys.TenantAdmin })).body.monthlyBudgetUsd).toBe(40);

    expect((await putBudget({ monthlyBudgetUsd: null, projectId: 'clinic' })).body.monthlyBudgetUsd).toBeNull();
    const audit = await eventually(async () => {
      const res = await app.call<{ items: { action: string; data: { monthlyBudgetUsd: number | null } }[] }>('GET', 'tenants/vet/audit', { key: keys.TenantAdmin });
      const entries = res.body.items.filter((e) => e.action === 'BudgetSet.v1');
      return entries.length === 3 ? entries : undefined;
    });
    expect(audit.map((e) => e.data.monthlyBudgetUsd)).toEqual([250, 40, null]);
  });

  it('validates the budget body and answers 404 for an unknown project', async () => {
    const negative = await putBudget({ monthlyBudgetUsd: -5 });
    expect(negative.status).toBe(400);
    expect(negative.body.errors.map((e: { path: string }) => e.path)).toEqual(['body.monthlyBudgetUsd']);
    const wrong = await putBudget({ monthlyBudgetUsd: 'ten', projectId: 'not valid', extra: true });
    expect(wrong.status).toBe(400);
    expect(wrong.body.errors.map((e: { path: string }) => e.path).sort()).toEqual(['body', 'body.monthlyBudgetUsd', 'body.projectId']);
    expect((await putBudget({})).status).toBe(400);
    expect((await app.call('PUT', 'tenants/vet/budget', { key: keys.TenantAdmin, raw: '{"monthlyBudgetUsd":' })).status).toBe(400);
    expect((await putBudget({ monthlyBudgetUsd: 5, projectId: 'ghost' })).status).toBe(404);
    expect((await app.call('GET', 'tenants/vet/budget?projectId=ghost', { key: keys.TenantAdmin })).status).toBe(404);
  });

  it('shows zero usage for a period without any, with the budget status', async () => {
    const month = await app.call<UsageView>('GET', 'tenants/vet/usage?period=2020-01', { key: keys.Viewer });
    expect(month.status).toBe(200);
    expect(month.body).toMatchObject({
      tenantId: 'vet',
      projectId: null,
      period: '2020-01',
      granularity: 'month',
      currency: 'USD',
      totals: { records: 0, tokensIn: 0, tokensOut: 0, durationMs: 0, costUsd: 0 },
      byAgentRole: [],
      bySkill: [],
      byModel: [],
      rolledUpAt: null,
      budget: { budgetUsd: 250, spentUsd: 0, exceeded: false },
    });
    const day = await app.call<UsageView>('GET', 'tenants/vet/usage?period=2020-01-05&projectId=clinic', { key: keys.Developer });
    expect(day.body).toMatchObject({ projectId: 'clinic', granularity: 'day', budget: { budgetUsd: null } });
    expect((await app.call<UsageView>('GET', 'tenants/vet/usage', { key: keys.TenantAdmin })).body.granularity).toBe('month');
    const bad = await app.call('GET', 'tenants/vet/usage?period=2025-02-30', { key: keys.Viewer });
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0].path).toBe('query.period');
    expect((await app.call('GET', 'tenants/vet/usage?period=2025-13', { key: keys.Viewer })).status).toBe(400);
    expect((await app.call('GET', 'tenants/vet/usage?projectId=ghost', { key: keys.Viewer })).status).toBe(404);
  });

  it('lets only the reader roles see usage and only a TenantAdmin see or set budgets', async () => {
    expect((await app.call('GET', 'tenants/vet/usage', { key: keys.Agent })).status).toBe(403);
    expect((await app.call('GET', 'tenants/vet/usage', { key: '' })).status).toBe(401);
    expect((await app.call('GET', 'tenants/vet/budget', { key: keys.Viewer })).status).toBe(403);
    expect((await putBudget({ monthlyBudgetUsd: 1 }, keys.Developer)).status).toBe(403);
  });

  it("answers 404 for another tenant's usage and budget, and for an unknown tenant", async () => {
    expect((await app.call('GET', 'tenants/vet/usage', { key: keys.rival })).status).toBe(404);
    expect((await app.call('GET', 'tenants/vet/budget', { key: keys.rival })).status).toBe(404);
    expect((await putBudget({ monthlyBudgetUsd: 1 }, keys.rival)).status).toBe(404);
    expect((await app.call('GET', 'tenants/rival/budget', { key: keys.rival })).body.monthlyBudgetUsd).toBeNull();
    expect((await app.call('GET', 'tenants/ghost/usage')).status).toBe(404);
    expect((await app.call('PUT', 'tenants/ghost/budget', { body: { monthlyBudgetUsd: 1 } })).status).toBe(404);
  });
});
