import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { ProjectRepository } from '../../skills/repository/projectRepository';
import type { RepositorySource } from '../port';
import { compileInProcess } from './inProcessBuild';

const run = promisify(execFile);
const BUILD_TIMEOUT_MS = 180_000;

/** The factory's own node_modules: generated modules build and run on it (nothing is downloaded). */
export function factoryNodeModules(): string {
  return path.resolve(path.dirname(require.resolve('typescript/package.json')), '..');
}

/** A module's package.json scripts: `start` is how it runs, `build` how it is built. */
export interface ModulePackage {
  scripts: Record<string, string>;
}

const building = new Map<string, Promise<string>>();

/**
 * Checks out a module's folder at a commit into `<buildsDir>/<folder>-<hash>`, links the factory's
 * node_modules and builds it once (in process for `tsc -p .`, else `npm run build`) (a `.factory-built` marker records success). Concurrent
 * calls for the same build share one run. Returns the build directory.
 */
export function buildModule(buildsDir: string, source: RepositorySource, artifactHash: string): Promise<string> {
  const dir = path.join(buildsDir, `${source.folder.replace(/[^A-Za-z0-9._-]/g, '-')}-${artifactHash.slice(0, 12)}`);
  let pending = building.get(dir);
  if (!pending) {
    pending = doBuild(dir, source).finally(() => building.delete(dir));
    building.set(dir, pending);
  }
  return pending;
}

async function doBuild(dir: string, source: RepositorySource): Promise<string> {
  if (fs.existsSync(path.join(dir, '.factory-built'))) return dir;
  await fs.promises.rm(dir, { recursive: true, force: true });
  await fs.promises.mkdir(dir, { recursive: true });
  const repository = repositoryAt(source.gitdir);
  const count = await repository.checkout(source.commit, source.folder, dir);
  if (count === 0) throw new Error(`The repository has no folder '${source.folder}' at ${source.commit.slice(0, 12)}.`);
  await fs.promises.symlink(factoryNodeModules(), path.join(dir, 'node_modules'), 'dir');
  const scripts = readPackage(dir).scripts;
  if (!scripts.start) throw new Error(`${source.folder}/package.json has no start script.`);
  if (scripts.build) await runBuild(dir, source.folder, scripts.build);
  await fs.promises.writeFile(path.join(dir, '.factory-built'), new Date().toISOString());
  return dir;
}

/** Runs a module's build script: in this process for a plain `tsc -p .` (see compileInProcess), else `npm run build`. */
async function runBuild(dir: string, folder: string, script: string): Promise<void> {
  try {
    if (await compileInProcess(dir, script)) return;
  } catch (error) {
    throw new Error(`the build of ${folder} failed: ${(error as Error).message}`);
  }
  try {
    await run('npm', ['run', 'build', '--silent'], { cwd: dir, timeout: BUILD_TIMEOUT_MS, env: { ...process.env, npm_config_update_notifier: 'false' } });
  } catch (error) {
    const e = error as { stdout?: string; stderr?: string; message: string };
    throw new Error(`npm run build failed in ${folder}: ${`${e.stdout ?? ''}${e.stderr ?? ''}`.trim().split('\n').slice(-10).join('\n') || e.message}`);
  }
}

/** The scripts of a checked-out module. */
export function readPackage(dir: string): ModulePackage {
  const manifest = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')) as { scripts?: Record<string, string> };
  return { scripts: manifest.scripts ?? {} };
}

function repositoryAt(gitdir: string): ProjectRepository {
  // gitdir is <dataDir>/repositories/<tenant>/<project>.git
  const project = path.basename(gitdir, '.git');
  const tenant = path.basename(path.dirname(gitdir));
  return new ProjectRepository(path.dirname(path.dirname(path.dirname(gitdir))), tenant, project);
}
