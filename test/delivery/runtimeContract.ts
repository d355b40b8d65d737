import type { DesiredEnvironment, ModuleDeployment, RuntimeProvider } from '../../shared/runtime/port';
import { configHashOf } from '../../shared/runtime/port';

/** What each adapter of the contract suite supplies: the provider, and a module deployment for a version. */
export interface RuntimeContractFixture {
  provider: RuntimeProvider;
  module(name: string, version: 'v1' | 'v2' | 'broken', replicas: number, config?: Record<string, string>): ModuleDeployment;
  cleanup(): Promise<void>;
}

/** The runtime provider contract: every adapter passes these cases. */
export function runtimeContract(name: string, setup: () => Promise<RuntimeContractFixture>): void {
  describe(`runtime provider contract: ${name}`, () => {
    let fixture: RuntimeContractFixture;
    beforeAll(async () => {
      fixture = await setup();
    });
    afterAll(async () => {
      await fixture?.cleanup();
    });
    const env = (environment: string, modules: ModuleDeployment[], releaseId = 'r1'): DesiredEnvironment => ({ tenantId: 't1', projectId: 'p1', environment, releaseId, modules });

    it('applies a desired state, reports it live with version, config hash and ready replicas, and is idempotent', async () => {
      const desired = env('dev', [fixture.module('Alpha', 'v1', 2, { GREETING: 'hi' }), fixture.module('Beta', 'v1', 1)]);
      const first = await fixture.provider.apply(desired);
      expect(first.map((o) => [o.module, o.status])).toEqual([['Alpha', 'updated'], ['Beta', 'updated']]);
      const live = await fixture.provider.live(desired);
      expect(live.map((m) => m.module)).toEqual(['Alpha', 'Beta']);
      expect(live[0]).toMatchObject({ version: desired.modules[0].version, configHash: configHashOf({ GREETING: 'hi' }, []) });
      expect(live[0].replicas).toHaveLength(2);
      expect(live[0].replicas.every((r) => r.ready)).toBe(true);
      const again = await fixture.provider.apply(desired);
      expect(again.map((o) => o.status)).toEqual(['unchanged', 'unchanged']);
      expect((await fixture.provider.live(desired))[0].replicas.map((r) => r.id).sort()).toEqual(live[0].replicas.map((r) => r.id).sort());
    });

    it('rolls a module to a new version and config, and removes modules no longer desired', async () => {
      const desired = env('dev', [fixture.module('Alpha', 'v2', 1, { GREETING: 'hello' })], 'r2');
      const outcome = await fixture.provider.apply(desired);
      expect(outcome).toEqual([expect.objectContaining({ module: 'Alpha', status: 'updated' })]);
      const live = await fixture.provider.live(desired);
      expect(live.map((m) => [m.module, m.version, m.replicas.length])).toEqual([['Alpha', desired.modules[0].version, 1]]);
      expect(live[0].configHash).toBe(configHashOf({ GREETING: 'hello' }, []));
    });

    it('keeps the running version when a new one never gets ready, and says why', async () => {
      const good = env('staging', [fixture.module('Alpha', 'v1', 1)]);
      await fixture.provider.apply(good);
      const bad = env('staging', [fixture.module('Alpha', 'broken', 1)], 'r3');
      const [outcome] = await fixture.provider.apply(bad, { readyTimeoutMs: 20_000 });
      expect(outcome.status).toBe('failed');
      expect(outcome.reason).toMatch(/exit|ready|fail/i);
      const live = await fixture.provider.live(good);
      expect(live.map((m) => [m.module, m.version])).toEqual([['Alpha', good.modules[0].version]]);
      expect(live[0].replicas.every((r) => r.ready)).toBe(true);
    });

    it('keeps environments apart and tears one down', async () => {
      expect((await fixture.provider.live({ tenantId: 't1', projectId: 'p1', environment: 'staging' })).map((m) => m.module)).toEqual(['Alpha']);
      expect((await fixture.provider.live({ tenantId: 't2', projectId: 'p1', environment: 'dev' }))).toEqual([]);
      expect(await fixture.provider.teardown({ tenantId: 't1', projectId: 'p1', environment: 'staging' })).toBeGreaterThan(0);
      expect(await fixture.provider.live({ tenantId: 't1', projectId: 'p1', environment: 'staging' })).toEqual([]);
      expect((await fixture.provider.live({ tenantId: 't1', projectId: 'p1', environment: 'dev' })).map((m) => m.module)).toEqual(['Alpha']);
    });
  });
}
