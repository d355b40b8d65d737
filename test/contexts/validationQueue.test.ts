import { SqliteDocumentStore } from '../../shared/platform/store/sqliteDocumentStore';
import { FairQueue, type FairKey } from '../../shared/workflows/fairQueue';
import type { AgentTaskDocument } from '../../shared/workflows/schemas';
import { startFactoryApp, type FactoryApp } from '../support/factoryApp';
import { pendingApproval, setupProject, setupTenant, startBootstrap, VETCLINIC, waitForWorkflow } from '../support/factoryScenario';

/** A job that records when it ran and how many ran at once, and finishes when the test says so. */
class Jobs {
  readonly order: string[] = [];
  maxRunning = 0;
  private running = 0;
  private readonly finishers = new Map<string, () => void>();

  job(name: string): () => Promise<string> {
    return () => {
      this.order.push(name);
      this.running++;
      this.maxRunning = Math.max(this.maxRunning, this.running);
      return new Promise<string>((resolve) =>
        this.finishers.set(name, () => {
          this.running--;
          resolve(name);
        }),
      );
    };
  }

  /** Finishes the running jobs one at a time until all `count` ran. */
  async drain(count: number): Promise<void> {
    while (this.order.length < count || this.finishers.size > 0) {
      const [name, finish] = this.finishers.entries().next().value ?? [];
      if (!finish) {
        await new Promise((resolve) => setImmediate(resolve));
        continue;
      }
      this.finishers.delete(name as string);
      finish();
      await new Promise((resolve) => setImmediate(resolve));
    }
  }
}

const workflowA: FairKey = { workflowStartedAt: '2026-11-29T10:00:00.000Z', workflowId: 'wf-a' };
const workflowB: FairKey = { workflowStartedAt: '2026-11-29T10:00:01.000Z', workflowId: 'wf-b' };
const workflowC: FairKey = { workflowStartedAt: '2026-11-29T10:00:02.000Z', workflowId: 'wf-c' };

describe('FairQueue (validation concurrency, FIFO by workflow start)', () => {
  it('with the bound at 1, runs the validations of the workflow started first before later ones, whatever order they arrive in', async () => {
    const queue = new FairQueue(1);
    const jobs = new Jobs();
    const done = [
      queue.run(workflowC, jobs.job('C1')),
      queue.run(workflowB, jobs.job('B1')),
      queue.run(workflowC, jobs.job('C2')),
      queue.run(workflowA, jobs.job('A1')),
      queue.run(workflowB, jobs.job('B2')),
      queue.run(workflowA, jobs.job('A2')),
    ];
    await jobs.drain(6);
    expect(await Promise.all(done)).toEqual(['C1', 'B1', 'C2', 'A1', 'B2', 'A2']);
    // C1 arrived to a free slot; every later one waited and went by workflow start, then arrival.
    expect(jobs.order).toEqual(['C1', 'A1', 'A2', 'B1', 'B2', 'C2']);
    expect(jobs.maxRunning).toBe(1);
    expect(queue.stats).toEqual({ running: 0, waiting: 0 });
  });

  it('never runs more than its bound at once, and frees the slot of a job that fails', async () => {
    const queue = new FairQueue(2);
    const jobs = new Jobs();
    const failing = queue.run(workflowA, () => Promise.reject(new Error('broken service')));
    const done = [workflowB, workflowA, workflowC, workflowB, workflowA].map((key, i) => queue.run(key, jobs.job(`${key.workflowId}#${i}`)));
    await expect(failing).rejects.toThrow('broken service');
    await jobs.drain(5);
    await Promise.all(done);
    expect(jobs.maxRunning).toBe(2);
    expect(jobs.order.slice(1)).toEqual(['wf-a#1', 'wf-a#4', 'wf-b#3', 'wf-c#2']);
    expect(queue.stats).toEqual({ running: 0, waiting: 0 });
  });

  it('refuses a bound that is not a positive integer', () => {
    expect(() => new FairQueue(0)).toThrow(RangeError);
    expect(() => new FairQueue(1.5)).toThrow(RangeError);
  });
});

describe('validation queue in the factory (FACTORY_VALIDATION_CONCURRENCY=1, two ProjectBootstraps at once)', () => {
  let app: FactoryApp;
  let tasks: AgentTaskDocument[] = [];
  let started: Record<'a' | 'b', string>;
  let stopped = false;

  beforeAll(async () => {
    app = await startFactoryApp({ env: { FACTORY_VALIDATION_CONCURRENCY: '1' } });
    const tenant = await setupTenant(app, 'fairq');
    await setupProject(app, tenant, 'a', VETCLINIC);
    await setupProject(app, tenant, 'b', VETCLINIC);
    started = { a: await startBootstrap(app, tenant, 'a'), b: await startBootstrap(app, tenant, 'b') };
    const approvals = await Promise.all([pendingApproval(app, tenant, started.a), pendingApproval(app, tenant, started.b)]);
    for (const approvalId of approvals) {
      const decided = await app.call('POST', `tenants/fairq/approvals/${approvalId}/decision`, { key: tenant.keys.architect, body: { decision: 'approve', comment: 'test' } });
      expect(decided.status).toBe(200);
    }
    for (const [project, workflowId] of Object.entries(started)) {
      const done = await waitForWorkflow(app, tenant, project, workflowId, (w) => w.status !== 'Running', 900_000);
      expect({ project, status: done.status, failure: done.failure }).toEqual({ project, status: 'Completed', failure: undefined });
    }
    await app.stop();
    stopped = true;
    const store = SqliteDocumentStore.open(app.host.dataDir);
    for (const projectId of ['a', 'b']) {
      const page = await store.query<AgentTaskDocument>('workflows', { tenantId: 'fairq', projectId }, { where: [{ field: 'type', op: '=', value: 'agentTask' }], limit: 500 });
      tasks.push(...page.items.filter((doc) => doc.task.skill === 'ValidateService' && doc.status === 'succeeded'));
    }
    tasks = tasks.sort((x, y) => x.skillStartedAt!.localeCompare(y.skillStartedAt!));
  }, 1_000_000);

  afterAll(async () => {
    if (app && !stopped) await app.stop();
  });

  it('ran one validation at a time', () => {
    expect(tasks).toHaveLength(6);
    for (const [i, task] of tasks.entries()) {
      expect(task).toMatchObject({ skillQueuedAt: expect.any(String), skillStartedAt: expect.any(String), skillFinishedAt: expect.any(String) });
      if (i > 0) expect(Date.parse(task.skillStartedAt!)).toBeGreaterThanOrEqual(Date.parse(tasks[i - 1].skillFinishedAt!));
    }
  });

  it("never let a validation of the later workflow go ahead of a waiting one of the earlier workflow", () => {
    const of = (workflowId: string) => tasks.filter((task) => task.task.workflowId === workflowId);
    for (const later of of(started.b)) {
      for (const earlier of of(started.a)) {
        // An A validation already queued when a B validation got the slot must have had it first.
        if (Date.parse(earlier.skillQueuedAt!) < Date.parse(later.skillStartedAt!)) expect(Date.parse(earlier.skillStartedAt!)).toBeLessThanOrEqual(Date.parse(later.skillStartedAt!));
      }
    }
  });
});
