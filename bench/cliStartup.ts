import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { performance } from 'node:perf_hooks';

const FACTORY_BIN = path.resolve(__dirname, '..', 'cli', 'bin', 'factory.js');

/** Wall time (ms) of one child process from spawn to exit; fails when it exits non-zero. */
function timeOnce(args: string[]): number {
  const started = performance.now();
  const result = spawnSync(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  const ms = performance.now() - started;
  if (result.status !== 0) throw new Error(`node ${args.join(' ')} exited ${result.status}: ${result.stderr}`);
  return ms;
}

export interface CliStartup {
  version: number[];
  help: number[];
  bareNode: number[];
}

/**
 * `factory --version`, `factory --help` (every command registered) and a bare `node -e ''`,
 * interleaved so load changes hit all three alike; after 3 uncounted warm-up rounds.
 */
export function cliStartupTimes(runs = 20): CliStartup {
  const times: CliStartup = { version: [], help: [], bareNode: [] };
  for (let i = -3; i < runs; i++) {
    const version = timeOnce([FACTORY_BIN, '--version']);
    const help = timeOnce([FACTORY_BIN, '--help']);
    const bare = timeOnce(['-e', '']);
    if (i < 0) continue;
    times.version.push(version);
    times.help.push(help);
    times.bareNode.push(bare);
  }
  return times;
}
