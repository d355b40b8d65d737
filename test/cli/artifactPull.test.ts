import path from 'node:path';
import { latestByPath, targetPath, type Artifact } from '../../cli/artifactPull';

describe('artifact pull paths', () => {
  it('writes each artifact at its repository path under the target folder', () => {
    expect(targetPath('/tmp/out', 'booking-service/src/main.ts')).toBe(path.resolve('/tmp/out/booking-service/src/main.ts'));
  });

  it('refuses paths that would leave the target folder', () => {
    for (const name of ['../escape.txt', 'a/../../escape.txt', '/etc/passwd']) expect(() => targetPath('/tmp/out', name)).toThrow('leaves the target folder');
  });

  it('keeps the newest version of each path (lists are oldest first)', () => {
    const artifact = (id: string, name: string, version: number) => ({ id, name, version }) as Artifact;
    expect(latestByPath([artifact('a1', 'x.ts', 1), artifact('b1', 'y.ts', 1), artifact('a2', 'x.ts', 2)]).map((a) => a.id)).toEqual(['a2', 'b1']);
  });
});
