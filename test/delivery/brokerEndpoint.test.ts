import { namespaceKey } from '../../local/broker/namespaces';
import fs from 'node:fs';
import path from 'node:path';
import { compareDesiredLive } from '../../shared/delivery/drift';
import { LocalRuntimeProvider } from '../../shared/runtime/local/localRuntime';
import { stopReplica } from '../../shared/runtime/local/processTable';
import { configHashOf, type DesiredEnvironment } from '../../shared/runtime/port';
import { ProjectRepository } from '../../shared/skills/repository';
import { tempDataDir } from '../support/hostProcess';

jest.setTimeout(240_000);

// The local host publishes its broker endpoint here; replicas get it as BROKER_URL / BROKER_KEY.
const BROKER = Symbol.for('factory-host.broker');
const publish = (url: string, key: string) => ((globalThis as Record<symbol, unknown>)[BROKER] = { restEndpoint: { url, key, namespaceKey: (namespace: string) => namespaceKey(key, namespace) } });
const SERVER = "require('node:http').createServer((q, s) => { s.writeHead(q.url === '/health/ready' ? 200 : 404); s.end(); }).listen(Number(process.env.PORT), process.env.HOST);\n";

const brokerOf = (pid: number) => Object.fromEntries(fs.readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0').filter((e) => e.startsWith('BROKER_')).map((e) => e.split('=')));

describe('local runtime: replicas follow the host’s broker endpoint', () => {
  const dataDir = tempDataDir('runtime-broker-');
  const provider = new LocalRuntimeProvider(path.join(dataDir, 'runtime'));
  let desired: DesiredEnvironment;

  beforeAll(async () => {
    const repository = new ProjectRepository(dataDir, 't1', 'p1');
    const { sha } = await repository.commitArtifacts({ branch: 'main', artifacts: [{ path: 'svc/package.json', content: JSON.stringify({ name: 'svc', scripts: { start: 'node server.js' } }) }, { path: 'svc/server.js', content: SERVER }], message: 'm', author: { name: 'T', email: 't@example.com' }, trailers: { 'Trace-Id': '0af7651916cd43dd8448eb211c80319c', 'Workflow-Id': 'w', 'Blueprint-Version': '1' } });
    desired = { tenantId: 't1', projectId: 'p1', environment: 'dev', releaseId: 'r1', modules: [{ module: 'Svc', kind: 'microservice', version: `0.1.0+${sha.slice(0, 12)}`, commit: sha, artifactHash: sha, replicas: 1, config: {}, secrets: {}, source: { gitdir: repository.gitdir, commit: sha, folder: 'svc' } }] };
  });

  afterAll(async () => {
    delete (globalThis as Record<symbol, unknown>)[BROKER];
    await Promise.all(provider.runningPids().map((pid) => stopReplica(pid, 2000)));
  });

  it('keeps replicas while the endpoint is the same; after it changes reports them stale (config drift) and apply replaces them', async () => {
    publish('http://localhost:7071', 'key-one');
    await provider.apply(desired);
    const [before] = await provider.live(desired);
    expect(before.replicas[0]).not.toHaveProperty('stale');
    expect(brokerOf(before.replicas[0].pid!)).toEqual({ BROKER_URL: 'http://localhost:7071', BROKER_KEY: namespaceKey('key-one', 't1~p1~dev') });
    expect((await provider.apply(desired)).map((o) => o.status)).toEqual(['unchanged']);

    publish('http://localhost:40123', 'key-one');
    const [moved] = await provider.live(desired);
    expect(moved.replicas[0].stale).toBe('broker endpoint changed (http://localhost:7071 → http://localhost:40123)');
    const state = { modules: [{ name: 'Svc', kind: 'microservice', folder: 'svc', version: desired.modules[0].version, artifactHash: desired.modules[0].artifactHash, replicas: 1, configHash: configHashOf({}, []) }] };
    expect(compareDesiredLive(state, [moved]).map((f) => [f.kind, f.actual])).toEqual([['config', { stale: [`${moved.replicas[0].id}: broker endpoint changed (http://localhost:7071 → http://localhost:40123)`] }]]);

    expect((await provider.apply(desired)).map((o) => o.status)).toEqual(['updated']);
    const [after] = await provider.live(desired);
    expect(after.replicas).toHaveLength(1);
    expect(after.replicas[0].pid).not.toBe(before.replicas[0].pid);
    expect(after.replicas[0]).not.toHaveProperty('stale');
    expect(brokerOf(after.replicas[0].pid!)).toEqual({ BROKER_URL: 'http://localhost:40123', BROKER_KEY: namespaceKey('key-one', 't1~p1~dev') });
    expect(compareDesiredLive(state, [after])).toEqual([]);

    publish('http://localhost:40123', 'key-two');
    expect((await provider.live(desired))[0].replicas[0].stale).toBe('broker key changed');
    expect((await provider.apply(desired)).map((o) => o.status)).toEqual(['updated']);
    expect(brokerOf((await provider.live(desired))[0].replicas[0].pid!)).toEqual({ BROKER_URL: 'http://localhost:40123', BROKER_KEY: namespaceKey('key-two', 't1~p1~dev') });
  });
});
