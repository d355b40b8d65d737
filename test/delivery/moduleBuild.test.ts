import fs from 'node:fs';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { buildModule } from '../../shared/runtime/local/moduleBuild';
import { freePort } from '../../shared/runtime/local/replicaProcess';
import { ProjectRepository } from '../../shared/skills/repository';
import { eventually, tempDataDir } from '../support/hostProcess';

jest.setTimeout(240_000);

// What a release builds: a module folder at a commit. A plain `tsc -p .` (every generated service's
// build script) compiles in the factory's process; other scripts still run with npm.
const TSCONFIG = JSON.stringify({ compilerOptions: { target: 'ES2022', module: 'commonjs', strict: true, skipLibCheck: true, sourceMap: true, rootDir: '.', outDir: 'dist', types: ['node'] }, include: ['src'] });
const MAIN = "import { createServer } from 'node:http';\nconst port: number = Number(process.env.PORT);\ncreateServer((_q, s) => s.end('ok')).listen(port, '127.0.0.1');\n";

async function commitModule(dataDir: string, files: Record<string, string>): Promise<{ repository: ProjectRepository; commit: string; hash: string }> {
  const repository = new ProjectRepository(dataDir, 't1', 'p1');
  const artifacts = Object.entries(files).map(([name, content]) => ({ path: `svc/${name}`, content }));
  const { sha } = await repository.commitArtifacts({ branch: 'main', artifacts, message: 'm', author: { name: 'T', email: 't@example.com' }, trailers: { 'Trace-Id': '0af7651916cd43dd8448eb211c80319c', 'Workflow-Id': 'w', 'Blueprint-Version': '1' }, replaceTree: true });
  return { repository, commit: sha, hash: (await repository.folderHash(sha, 'svc'))! };
}

const build = async (dataDir: string, files: Record<string, string>) => {
  const { repository, commit, hash } = await commitModule(dataDir, files);
  return buildModule(path.join(dataDir, 'builds'), { gitdir: repository.gitdir, commit, folder: 'svc' }, hash);
};

describe('module builds of the local runtime', () => {
  it('compiles a `tsc -p .` module to dist/ with source maps, and the start script finds its entry point', async () => {
    const dataDir = tempDataDir('build-');
    const dir = await build(dataDir, { 'package.json': JSON.stringify({ name: 'svc', scripts: { build: 'tsc -p .', start: 'node dist/src/main.js' } }), 'tsconfig.json': TSCONFIG, 'src/main.ts': MAIN });
    const port = await freePort();
    expect(fs.readFileSync(path.join(dir, 'dist', 'src', 'main.js'), 'utf8')).toContain('createServer');
    expect(fs.existsSync(path.join(dir, 'dist', 'src', 'main.js.map'))).toBe(true);
    expect(fs.existsSync(path.join(dir, '.factory-built'))).toBe(true);
    // It runs: the compiled entry point answers on its port.
    const child = spawn(process.execPath, ['dist/src/main.js'], { cwd: dir, env: { ...process.env, PORT: String(port) }, stdio: 'ignore' });
    try {
      const body = await eventually(async () => fetch(`http://127.0.0.1:${port}/`).then((r) => r.text()).catch(() => undefined), 60_000, 'the compiled service');
      expect(body).toBe('ok');
    } finally {
      child.kill('SIGKILL');
    }
  });

  it('fails the build with the file, line and message of a syntax error, and marks nothing built', async () => {
    const dataDir = tempDataDir('build-');
    const broken = `${MAIN}const wrong: string = ;\n`;
    await expect(build(dataDir, { 'package.json': JSON.stringify({ name: 'svc', scripts: { build: 'tsc -p .', start: 'node dist/src/main.js' } }), 'tsconfig.json': TSCONFIG, 'src/main.ts': broken })).rejects.toThrow(/the build of svc failed: tsc failed: src\/main\.ts:4:\d+ TS1109: Expression expected/);
    expect(fs.readdirSync(path.join(dataDir, 'builds')).some((d) => fs.existsSync(path.join(dataDir, 'builds', d, '.factory-built')))).toBe(false);
  });

  it('runs any other build script with npm', async () => {
    const dataDir = tempDataDir('build-');
    const dir = await build(dataDir, { 'package.json': JSON.stringify({ name: 'svc', scripts: { build: 'node make.js', start: 'node out.js' } }), 'make.js': "require('node:fs').writeFileSync('out.js', 'console.log(1)');\n" });
    expect(fs.readFileSync(path.join(dir, 'out.js'), 'utf8')).toBe('console.log(1)');
  });
});
