import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ProjectRepository, workflowBranch } from '../../shared/skills/repository';

const author = { name: 'Software Factory', email: 'factory@example.com', timestamp: 1_735_689_600 };
const trailers = { 'Trace-Id': '4bf92f3577b34da6a3ce929d0e0e4736', 'Workflow-Id': 'wf-1', 'Blueprint-Version': 'sha256-abc' };

describe('ProjectRepository', () => {
  let dataDir: string;
  let repository: ProjectRepository;

  beforeEach(() => {
    dataDir = mkdtempSync(path.join(os.tmpdir(), 'factory-repo-'));
    repository = new ProjectRepository(dataDir, 'tenant-a', 'project-1');
  });

  afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

  const commit = (branch: string, artifacts: { path: string; content: string }[], message = 'Generate BookingService') =>
    repository.commitArtifacts({ branch, artifacts, message, author, trailers });

  it('keeps a bare repository per project under the data dir, main by default', async () => {
    await repository.init();
    expect(repository.gitdir).toBe(path.join(dataDir, 'repositories', 'tenant-a', 'project-1.git'));
    expect(await repository.listBranches()).toEqual([]);
    await commit('main', [{ path: 'README.md', content: '# project\n' }]);
    expect(await repository.listBranches()).toEqual(['main']);
  });

  it('makes no new commit when the same tree is committed twice', async () => {
    const files = [
      { path: 'booking-service/src/app.ts', content: 'export {};\n' },
      { path: 'booking-service/package.json', content: '{}\n' },
    ];
    const first = await commit('main', files);
    const second = await commit('main', files);
    expect(first.created).toBe(true);
    expect(second).toEqual({ sha: first.sha, created: false, branch: 'main' });
    expect(await repository.log('main')).toHaveLength(1);
  });

  it('ends the message with the Trace-Id, Workflow-Id and Blueprint-Version trailers', async () => {
    await commit('main', [{ path: 'a.txt', content: 'a' }]);
    const [entry] = await repository.log('main');
    expect(entry.message).toBe('Generate BookingService\n\nTrace-Id: 4bf92f3577b34da6a3ce929d0e0e4736\nWorkflow-Id: wf-1\nBlueprint-Version: sha256-abc\n');
    expect(entry.trailers).toEqual(trailers);
    expect(entry.author).toEqual({ name: author.name, email: author.email, timestamp: author.timestamp });
  });

  it('commits each workflow on its own branch, started from main', async () => {
    const base = await commit('main', [{ path: 'README.md', content: '# project\n' }]);
    const one = await commit(workflowBranch('wf-1'), [{ path: 'booking-service/src/app.ts', content: 'one\n' }]);
    const two = await commit(workflowBranch('wf-2'), [{ path: 'booking-service/src/app.ts', content: 'two\n' }]);
    expect(await repository.listBranches()).toEqual(['main', 'workflow/wf-1', 'workflow/wf-2']);
    expect((await repository.log('workflow/wf-1')).map((entry) => entry.sha)).toEqual([one.sha, base.sha]);
    expect((await repository.log('workflow/wf-2'))[0].parents).toEqual([base.sha]);
    expect(two.sha).not.toBe(one.sha);
    expect(await repository.readFile('main', 'booking-service/src/app.ts')).toBeUndefined();
    expect(await repository.readFile('workflow/wf-1', 'README.md')).toBe('# project\n');
  });

  it('reads back what it committed, later commits laid over earlier ones', async () => {
    const branch = workflowBranch('wf-3');
    await commit(branch, [{ path: 'booking-service/src/app.ts', content: 'export const app = 1;\n' }]);
    await commit(branch, [{ path: 'payment-service/src/app.ts', content: 'export const app = 2;\n' }], 'Generate PaymentService');
    expect(await repository.readFile(branch, 'booking-service/src/app.ts')).toBe('export const app = 1;\n');
    expect(await repository.readFile(branch, 'payment-service/src/app.ts')).toBe('export const app = 2;\n');
    expect(await repository.readFile(branch, 'missing.ts')).toBeUndefined();
    expect(await repository.readFile('no-such-branch', 'a.ts')).toBeUndefined();
    expect(await repository.log(branch)).toHaveLength(2);
  });

  it('serializes concurrent commits to one branch', async () => {
    const branch = workflowBranch('wf-4');
    await Promise.all(['a', 'b', 'c'].map((name) => commit(branch, [{ path: `${name}.txt`, content: name }], `Add ${name}`)));
    expect(await repository.log(branch)).toHaveLength(3);
    for (const name of ['a', 'b', 'c']) expect(await repository.readFile(branch, `${name}.txt`)).toBe(name);
  });

  it('refuses unsafe paths, ids and trailer values', async () => {
    await expect(commit('main', [{ path: '../escape.txt', content: 'x' }])).rejects.toThrow(/Invalid artifact path/);
    await expect(commit('bad..branch', [{ path: 'a.txt', content: 'x' }])).rejects.toThrow(/Invalid branch/);
    await expect(repository.commitArtifacts({ branch: 'main', artifacts: [{ path: 'a.txt', content: 'x' }], message: 'm', author, trailers: { ...trailers, 'Trace-Id': 'a\nb' } })).rejects.toThrow(/Trace-Id/);
    expect(() => new ProjectRepository(dataDir, '../other', 'project')).toThrow();
  });

  it('does not push without credentials (no network is touched)', async () => {
    await commit('main', [{ path: 'a.txt', content: 'a' }]);
    expect(await repository.push('main', { url: 'https://github.com/example/project.git' })).toEqual({ pushed: false, reason: 'no credentials configured for the remote' });
  });
});
