import { ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseBlueprint } from '../../shared/blueprints';
import type { Blueprint } from '../../shared/blueprints/schemas';
import { kebabCase } from '../../shared/skills/naming';
import { generateService } from '../../shared/skills/service';
import { generateTests } from '../../shared/skills/tests';
import { factoryNodeModules } from '../../shared/skills/validate';
import { typecheck } from '../../shared/skills/validate/typecheck';
import { eventually } from '../support/hostProcess';

/** A blueprint from `shared/blueprints/examples`, parsed and valid. */
export function exampleBlueprint(name: string): Blueprint {
  const parsed = parseBlueprint(fs.readFileSync(path.resolve(__dirname, '../../../shared/blueprints/examples', name), 'utf8'));
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
  return parsed.blueprint;
}

/** Generates a module's service and tests into `root/<folder>`, links the factory's node_modules and compiles it. */
export function buildGeneratedService(blueprint: Blueprint, module: string, root: string): string {
  const input = { blueprint, module, artifacts: [] };
  const dir = path.join(root, kebabCase(module));
  const files = [...generateService(input).artifacts, ...generateTests(input).artifacts];
  for (const file of files) {
    const target = path.join(root, file.name);
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.writeFileSync(target, file.content);
  }
  fs.symlinkSync(factoryNodeModules(), path.join(dir, 'node_modules'), 'dir');
  const sources = files.map((file) => path.relative(dir, path.join(root, file.name))).filter((file) => file.endsWith('.ts'));
  const checked = typecheck(dir, sources);
  if (checked.diagnostics.length) throw new Error(`${module} does not compile: ${JSON.stringify(checked.diagnostics.slice(0, 3))}`);
  return dir;
}

export interface RunningService {
  url: string;
  output: string[];
  child: ChildProcess;
  stop(): Promise<number | null>;
}

/**
 * `npm start`'s command (`node dist/src/main.js`) in `dir` with `env`, on `node` (default: this
 * process's Node); resolves once `/health/ready` answers 200.
 */
export async function startGeneratedService(dir: string, env: Record<string, string>, node = process.execPath): Promise<RunningService> {
  const child = spawn(node, ['dist/src/main.js'], { cwd: dir, env: { PATH: process.env.PATH ?? '', HOST: '127.0.0.1', PORT: '0', LOG_LEVEL: 'info', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  const output: string[] = [];
  let url: string | undefined;
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  child.stdout!.on('data', (chunk: Buffer) => {
    for (const line of chunk.toString().split('\n').filter(Boolean)) {
      output.push(line);
      const address = /"address":"(http:\/\/[^"]+)"/.exec(line)?.[1];
      if (address) url = address;
    }
  });
  child.stderr!.on('data', (chunk: Buffer) => output.push(...chunk.toString().split('\n').filter(Boolean)));
  let gone = false;
  void exited.then(() => (gone = true));
  await eventually(async () => {
    if (gone) throw new Error(`the service exited: ${output.join('\n')}`);
    if (!url) return undefined;
    const response = await fetch(`${url}/health/ready`);
    return response.status === 200 ? true : undefined;
  }, 60_000, `${dir} to be ready`).catch((error: Error) => {
    child.kill('SIGKILL');
    throw new Error(`${error.message}\n${output.join('\n')}`);
  });
  return {
    url: url!,
    output,
    child,
    async stop() {
      if (!gone) child.kill('SIGTERM');
      return exited;
    },
  };
}

export function tempRoot(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}
