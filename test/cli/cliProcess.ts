import { ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { repoRoot } from '../support/hostProcess';

/** The compiled `factory` bin. */
export const factoryBin = path.join(repoRoot, 'dist', 'cli', 'bin', 'factory.js');

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** A user of the CLI: their own config dir (XDG_CONFIG_HOME) and environment; no terminal. */
export class CliUser {
  readonly configHome = fs.mkdtempSync(path.join(os.tmpdir(), 'factory-cli-'));

  constructor(private readonly env: NodeJS.ProcessEnv = {}) {}

  /** Starts `factory ...args` with pipes for stdin, stdout and stderr (never a TTY). */
  spawn(args: string[], options: { env?: NodeJS.ProcessEnv; cwd?: string } = {}): ChildProcessWithoutNullStreams {
    return spawn(process.execPath, [factoryBin, ...args], {
      cwd: options.cwd ?? repoRoot,
      env: { ...cleanEnv(), XDG_CONFIG_HOME: this.configHome, ...this.env, ...options.env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
  }

  /** Runs `factory ...args` with stdin a closed pipe (so never a TTY) and collects its output. */
  run(args: string[], options: { env?: NodeJS.ProcessEnv; cwd?: string; input?: string } = {}): Promise<CliResult> {
    return new Promise((resolve, reject) => {
      const child = this.spawn(args, options);
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      child.once('error', reject);
      child.once('close', (code) => resolve({ code, stdout, stderr }));
      child.stdin.end(options.input ?? '');
    });
  }

  /** Runs and parses stdout as JSON, failing with the output when the exit code is not the expected one. */
  async json<T = any>(args: string[], expectedCode = 0, options: { env?: NodeJS.ProcessEnv } = {}): Promise<T> { // eslint-disable-line @typescript-eslint/no-explicit-any
    const result = await this.run([...args, '-o', 'json'], options);
    if (result.code !== expectedCode) throw new Error(`factory ${args.join(' ')} exited ${result.code} (expected ${expectedCode})\n${result.stdout}\n${result.stderr}`);
    return JSON.parse(result.stdout) as T;
  }
}

/** The environment without the factory's own variables (a developer's shell may have them set). */
export function cleanEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const name of Object.keys(env)) if (name.startsWith('FACTORY_') || name === 'FORCE_COLOR' || name === 'NO_COLOR') delete env[name];
  return env;
}
