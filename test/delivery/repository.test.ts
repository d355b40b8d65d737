import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { MergeRefused, ProjectRepository } from '../../shared/skills/repository';
import { tempDataDir } from '../support/hostProcess';

const author = { name: 'T', email: 't@example.com' };
const trailers = { 'Trace-Id': '0af7651916cd43dd8448eb211c80319c', 'Workflow-Id': 'w1', 'Blueprint-Version': '1' };

function tarNames(gz: Buffer): string[] {
  const tar = zlib.gunzipSync(gz);
  const names: string[] = [];
  for (let offset = 0; offset + 512 <= tar.length; ) {
    const name = tar.subarray(offset, offset + 100).toString('utf8').replace(/\0.*$/s, '');
    if (!name) break;
    const size = parseInt(tar.subarray(offset + 124, offset + 136).toString('utf8').replace(/\0.*$/s, '').trim() || '0', 8);
    const type = String.fromCharCode(tar[offset + 156]);
    if (type === '0' || type === '\0') names.push(name);
    offset += 512 + Math.ceil(size / 512) * 512;
  }
  return names;
}

describe('project repository: main, merge, diff, archive', () => {
  let repository: ProjectRepository;
  beforeEach(() => {
    repository = new ProjectRepository(tempDataDir('repo-'), 't1', 'p1');
  });
  const commit = (branch: string, files: Record<string, string>) =>
    repository.commitArtifacts({ branch, artifacts: Object.entries(files).map(([p, content]) => ({ path: p, content })), message: `on ${branch}`, author, trailers });

  it('creates main from the first merged branch, then fast-forwards a branch made from main', async () => {
    const first = await commit('workflow/w1', { 'svc/a.txt': 'one\n', 'README.md': 'hi\n' });
    const merged = await repository.merge({ source: 'workflow/w1', target: 'main', mode: 'fast-forward', message: 'merge', author });
    expect(merged).toMatchObject({ sha: first.sha, fastForward: true });
    expect(await repository.listBranches()).toEqual(['main', 'workflow/w1']);

    const second = await commit('sprint/s1', { 'svc/a.txt': 'one\ntwo\n' });
    const changes = await repository.diff('main', 'sprint/s1');
    expect(changes).toEqual([expect.objectContaining({ path: 'svc/a.txt', status: 'modified', additions: 1, deletions: 0 })]);
    expect(changes[0].patch).toContain('+two');
    const ff = await repository.merge({ source: 'sprint/s1', target: 'main', mode: 'fast-forward', message: 'merge', author });
    expect(ff).toMatchObject({ sha: second.sha, fastForward: true });
    expect(await repository.readFile('main', 'svc/a.txt')).toBe('one\ntwo\n');
  });

  it('refuses a fast-forward after main moved, merges with a merge commit, reports conflicts and changes nothing then', async () => {
    await commit('workflow/w1', { 'a.txt': 'base\n', 'b.txt': 'base\n' });
    await repository.merge({ source: 'workflow/w1', target: 'main', mode: 'fast-forward', message: 'merge', author });
    await commit('sprint/x', { 'a.txt': 'x\n' });
    await commit('sprint/y', { 'b.txt': 'y\n' });
    await commit('sprint/z', { 'a.txt': 'z\n' });
    await repository.merge({ source: 'sprint/x', target: 'main', mode: 'fast-forward', message: 'merge x', author });
    await expect(repository.merge({ source: 'sprint/y', target: 'main', mode: 'fast-forward', message: 'merge y', author })).rejects.toMatchObject({ reason: 'not-fast-forward' });
    const y = await repository.merge({ source: 'sprint/y', target: 'main', mode: 'merge-commit', message: 'merge y', author });
    expect(y.fastForward).toBe(false);
    const [tip] = await repository.log('main', 1);
    expect(tip.parents).toHaveLength(2);
    expect(await repository.readFile('main', 'a.txt')).toBe('x\n');
    expect(await repository.readFile('main', 'b.txt')).toBe('y\n');

    const conflict = await repository.merge({ source: 'sprint/z', target: 'main', mode: 'merge-commit', message: 'merge z', author }).catch((e: unknown) => e);
    expect(conflict).toBeInstanceOf(MergeRefused);
    expect(conflict).toMatchObject({ reason: 'conflict' });
    expect((await repository.log('main', 1))[0].sha).toBe(y.sha);
  });

  it('archives any ref as tar.gz and zip under a prefix; a missing ref is UnknownRef', async () => {
    const c = await commit('workflow/w1', { 'svc/src/main.ts': 'x\n', 'README.md': 'hi\n' });
    const tar = await repository.archive('workflow/w1', 'tar.gz', 'p1');
    expect(tar.commit).toBe(c.sha);
    expect(tarNames(tar.content).sort()).toEqual(['p1/README.md', 'p1/svc/src/main.ts']);
    const zip = await repository.archive(c.sha, 'zip', 'p1');
    const file = path.join(tempDataDir('zip-'), 'a.zip');
    fs.writeFileSync(file, zip.content);
    const listing = execFileSync('python3', ['-c', 'import sys,zipfile; print("\\n".join(sorted(zipfile.ZipFile(sys.argv[1]).namelist())))', file]).toString().trim().split('\n');
    expect(listing).toEqual(['p1/README.md', 'p1/svc/src/main.ts']);
    await expect(repository.archive('nope', 'zip', 'p1')).rejects.toMatchObject({ code: 'UnknownRef' });
  });
});
