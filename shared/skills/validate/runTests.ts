import { spawn } from 'node:child_process';
import path from 'node:path';
import { compareLocated, type TestResult, type TestRun } from './report';
import { SourceLocator } from './sourceMaps';

interface ReporterLine {
  event: 'test:start' | 'test:pass' | 'test:fail';
  name: string;
  nesting: number;
  file?: string;
  line?: number;
  column?: number;
  suite: boolean;
  skip: boolean;
  failureType?: string;
  message?: string;
  stack?: string;
}

/**
 * The environment of the test process: PATH only, so no proxy settings, no NODE_OPTIONS (preloads,
 * inspectors) and none of the factory's secrets reach generated code. This does not sandbox the
 * network; generated services bind to 127.0.0.1 and their tests talk only to themselves.
 */
function isolatedEnv(): NodeJS.ProcessEnv {
  return { PATH: process.env.PATH ?? '', NODE_OPTIONS: '', NODE_ENV: 'test', NO_COLOR: '1' };
}

interface Outcome {
  stdout: string;
  stderr: string;
  code: number | null;
  timedOut: boolean;
}

/** A started child: `finish` arms the time limit from now and resolves when it closes; `kill` ends it. */
interface Started {
  finish(timeoutMs: number): Promise<Outcome>;
  kill(): void;
}

function start(command: string, args: string[], cwd: string): Started {
  const child = spawn(command, args, { cwd, env: isolatedEnv(), detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  const stdout: Buffer[] = [];
  const stderr: Buffer[] = [];
  let timedOut = false;
  let timer: NodeJS.Timeout | undefined;
  const kill = () => {
    try {
      process.kill(-(child.pid as number), 'SIGKILL');
    } catch {
      child.kill('SIGKILL');
    }
  };
  child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk));
  child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
  const closed = new Promise<Outcome>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => resolve({ stdout: Buffer.concat(stdout).toString('utf8'), stderr: Buffer.concat(stderr).toString('utf8'), code, timedOut }));
  }).finally(() => clearTimeout(timer));
  closed.catch(() => undefined);
  return {
    finish(timeoutMs) {
      timer = setTimeout(() => {
        timedOut = true;
        kill();
      }, timeoutMs);
      return closed.then((outcome) => ({ ...outcome, timedOut }));
    },
    kill,
  };
}

function toResults(lines: ReporterLine[], locator: SourceLocator, dir: string): TestResult[] {
  const stacks = new Map<string, string[]>();
  const results: TestResult[] = [];
  for (const line of lines) {
    const key = line.file ?? '';
    const stack = stacks.get(key) ?? [];
    stacks.set(key, stack);
    if (line.event === 'test:start') {
      stack[line.nesting] = line.name;
      stack.length = line.nesting + 1;
      continue;
    }
    if (line.suite && line.failureType !== 'hookFailed' && line.event === 'test:pass') continue;
    if (line.suite && line.failureType === 'subtestsFailed') continue;
    const name = [...stack.slice(0, line.nesting), line.name].join(' > ');
    const declared = line.file && line.line ? locator.locate(line.file, line.line, line.column ?? 1) : undefined;
    const failedAt = line.event === 'test:fail' ? (locator.locateInStack(line.stack) ?? declared) : declared;
    const status = line.event === 'test:fail' ? 'failed' : line.skip ? 'skipped' : 'passed';
    results.push({
      name,
      status,
      ...(failedAt ? { file: failedAt.file, line: failedAt.line, column: failedAt.column } : {}),
      ...(status === 'failed' ? { message: (line.message ?? 'failed').split(dir).join('.').slice(0, 2000) } : {}),
    });
  }
  return results.sort(compareLocated);
}

/** The reporter and the entry that loads every test file in one process (`REPORTER_SOURCE`, `RUNNER_SOURCE`). */
export interface TestHarness {
  reporterFile: string;
  runnerFile: string;
}

/** Tests started by `startTests`: `finish` waits for their run (time limit from then on), `kill` abandons it. */
export interface TestProcess {
  finish(timeoutMs: number): Promise<TestRun>;
  kill(): void;
}

/**
 * Starts the compiled tests with node's test runner in ONE child process (`harness.runnerFile` loads
 * every file; node:test runs them one after the other and reports through `harness.reporterFile`).
 * The process exits non-zero when a test fails, as `node --test` does; `finish(timeoutMs)` kills it
 * after `timeoutMs` from the call.
 */
export function startTests(dir: string, harness: TestHarness, testFiles: readonly string[]): TestProcess {
  const args = [`--test-reporter=${harness.reporterFile}`, '--test-reporter-destination=stdout', harness.runnerFile, ...testFiles.map((file) => path.join(dir, file))];
  const child = start(process.execPath, args, dir);
  return { finish: async (timeoutMs) => toRun(await child.finish(timeoutMs), dir, timeoutMs), kill: child.kill };
}

function toRun(outcome: Outcome, dir: string, timeoutMs: number): TestRun {
  const lines: ReporterLine[] = [];
  for (const text of outcome.stdout.split('\n')) {
    if (!text.startsWith('{')) continue;
    try {
      lines.push(JSON.parse(text) as ReporterLine);
    } catch {
      // a test's own output on stdout; not a reporter line
    }
  }
  const results = toResults(lines, new SourceLocator(dir), dir);
  const count = (status: TestResult['status']) => results.filter((result) => result.status === status).length;
  const failed = count('failed');
  let error: string | undefined;
  if (outcome.timedOut) error = `the tests did not finish within ${timeoutMs} ms and were killed`;
  else if (outcome.code !== 0 && failed === 0) error = `the test process exited with ${outcome.code}: ${outcome.stderr.split(dir).join('.').slice(0, 2000)}`;
  return { ran: true, timedOut: outcome.timedOut, passed: count('passed'), failed, skipped: count('skipped'), results, ...(error ? { error } : {}) };
}
