import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { compareText, kebabCase, requireModule } from '../naming';
import type { Skill, SkillArtifact, SkillInput, SkillResult } from '../types';
import { contractInput } from './contractInput';
import type { ContractRun } from './contractTest';
import { toFailureLines, type TestRun, type ValidationReport } from './report';
import { REPORTER_SOURCE, RUNNER_SOURCE } from './reporter';
import { startRunningService, type ContractOptions } from './runningService';
import { startTests, type TestHarness } from './runTests';
import { TypecheckPool } from './typecheckPool';

export { toFailureLines, type Diagnostic, type TestResult, type TestRun, type ValidationReport } from './report';
export { factoryTypeRoot } from './typecheck';

/** The factory's own `node_modules`: every generated project's pinned dependencies are installed there. */
export function factoryNodeModules(): string {
  return path.dirname(path.dirname(require.resolve('fastify/package.json')));
}

const SKILL = 'ValidateService';
const DEFAULT_TIMEOUT_MS = 60_000;

export interface ValidateOptions {
  /** Kill the test process after this long (default 60 s). */
  timeoutMs?: number;
  /** When given, the compiled service is started and its contract tested (see `runContractTest`). */
  contract?: ContractOptions;
}

/** The module's files among `artifacts` (`service-code` and `tests`), keyed by path within its folder. */
export function moduleFiles(artifacts: readonly SkillArtifact[], module: string): Map<string, string> {
  const prefix = `${kebabCase(module)}/`;
  const files = new Map<string, string>();
  for (const artifact of artifacts) {
    if (artifact.module !== module || (artifact.kind !== 'service-code' && artifact.kind !== 'tests') || !artifact.name.startsWith(prefix)) continue;
    const relative = artifact.name.slice(prefix.length);
    if (relative.split('/').some((segment) => segment === '' || segment === '.' || segment === '..')) continue;
    files.set(relative, artifact.content);
  }
  return files;
}

async function writeModule(dir: string, files: ReadonlyMap<string, string>): Promise<void> {
  for (const [relative, content] of files) {
    await mkdir(path.dirname(path.join(dir, relative)), { recursive: true });
    await writeFile(path.join(dir, relative), content);
  }
  await symlink(factoryNodeModules(), path.join(dir, 'node_modules'), 'dir');
}

async function writeHarness(root: string): Promise<TestHarness> {
  const harness = { reporterFile: path.join(root, 'reporter.cjs'), runnerFile: path.join(root, 'run-tests.cjs') };
  await writeFile(harness.reporterFile, REPORTER_SOURCE);
  await writeFile(harness.runnerFile, RUNNER_SOURCE);
  return harness;
}

/** The type checks of this process (worker threads, half the CPUs, ended when idle). */
const typecheckPool = new TypecheckPool();

const timeoutOf = (options: ValidateOptions) => options.timeoutMs ?? DEFAULT_TIMEOUT_MS;

const passed = (run: TestRun) => run.ran && run.failed === 0 && run.passed > 0 && !run.error;

const NOT_RUN: TestRun = { ran: false, timedOut: false, passed: 0, failed: 0, skipped: 0, results: [] };

/**
 * Writes a module's service and tests to a temporary folder and type-checks them (strict, against
 * the factory's `@types/node`) in a worker (`TypecheckPool`). As soon as the JavaScript is emitted,
 * the compiled `test/**\/*.test.ts` start in one child process (`startTests`) and, with
 * `options.contract`, the compiled service starts (`startRunningService`), while the worker checks.
 * With type errors both are killed and the report says the tests did not run (as if nothing had
 * been emitted); with a failing test the service is stopped and the report has no contract part;
 * otherwise its contract is tested. The folder is removed afterwards.
 */
export async function validateModule(module: string, files: ReadonlyMap<string, string>, options: ValidateOptions = {}): Promise<ValidationReport> {
  const root = await mkdtemp(path.join(os.tmpdir(), 'factory-validate-'));
  try {
    const dir = path.join(root, kebabCase(module));
    await writeModule(dir, files);
    const sources = [...files.keys()].filter((file) => file.endsWith('.ts') && !file.endsWith('.d.ts')).sort(compareText);
    const tests = sources.filter((file) => /^test\/.*\.test\.ts$/.test(file)).map((file) => path.join('dist', file.replace(/\.ts$/, '.js')));
    const check = typecheckPool.check(dir, sources);
    const emitted = await check.emitted;
    const harness = emitted && tests.length > 0 ? await writeHarness(root) : undefined;
    const testProcess = harness ? startTests(dir, harness, tests) : undefined;
    const service = testProcess && options.contract ? await startRunningService(dir, options.contract, timeoutOf(options)) : undefined;
    const diagnostics = await check.diagnostics.catch(async (error: unknown) => {
      testProcess?.kill();
      await service?.discard();
      throw error;
    });
    let run = NOT_RUN;
    let contract: ContractRun | undefined;
    if (diagnostics.length > 0 || !testProcess) {
      testProcess?.kill();
      await service?.discard();
      if (diagnostics.length === 0 && emitted) run = { ...NOT_RUN, error: 'no test files (test/**/*.test.ts) to run' };
    } else {
      run = await testProcess.finish(timeoutOf(options));
      if (passed(run)) contract = await service?.check();
      else await service?.discard();
    }
    const testsPassed = diagnostics.length === 0 && passed(run);
    const contractPassed = !contract || (contract.ran && !contract.error && [...contract.operations, ...contract.events].every((check) => check.problems.length === 0));
    return {
      module,
      status: testsPassed && contractPassed ? 'passed' : 'failed',
      typecheck: { files: sources.length, diagnostics },
      tests: run,
      ...(contract ? { contract } : {}),
    };
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}

/**
 * qa-engineer/ValidateService. Its artifact is `<module>/validation-report.json`; its checks
 * (`typecheck`, `tests`) say whether the generated service passed. A failing service is a valid
 * outcome of this skill, so unlike generators it does not throw: the workflow reads the checks and
 * loops back to GenerateService with `toFailureLines(report)`.
 */
export async function validateService(input: SkillInput): Promise<SkillResult> {
  const module = requireModule(SKILL, input);
  const timeoutMs = typeof input.options?.timeoutMs === 'number' ? input.options.timeoutMs : undefined;
  const files = moduleFiles(input.artifacts, module.name);
  const report = await validateModule(module.name, files, { timeoutMs, contract: input.options?.contract === false ? undefined : contractInput(input.blueprint, module, input.artifacts) });
  const inputs = input.artifacts
    .filter((artifact) => artifact.module === module.name && (artifact.kind === 'service-code' || artifact.kind === 'tests'))
    .map((artifact) => artifact.name)
    .sort(compareText);
  const failures = toFailureLines(report);
  const diagnostics = report.typecheck.diagnostics;
  return {
    artifacts: [
      {
        name: `${kebabCase(module.name)}/validation-report.json`,
        kind: 'validation-report',
        module: module.name,
        contentType: 'application/json',
        content: `${JSON.stringify(report, null, 2)}\n`,
        inputs,
      },
    ],
    checks: [
      diagnostics.length ? { name: 'typecheck', ok: false, detail: failures.slice(0, diagnostics.length).join('\n') } : { name: 'typecheck', ok: true, detail: `${report.typecheck.files} files` },
      report.tests.ran && report.tests.failed === 0 && report.tests.passed > 0 && !report.tests.error
        ? { name: 'tests', ok: true, detail: `${report.tests.passed} passed` }
        : { name: 'tests', ok: false, detail: report.tests.ran ? failures.slice(diagnostics.length).join('\n') || 'no test passed' : 'not run' },
      ...(report.contract
        ? [
            report.status === 'passed'
              ? { name: 'contract', ok: true, detail: `${report.contract.operations.length} operations, ${report.contract.events.length} events` }
              : { name: 'contract', ok: false, detail: contractFailures(report.contract).join('\n') || 'failed' },
          ]
        : []),
    ],
  };
}

function contractFailures(run: ContractRun): string[] {
  return [
    ...(run.error ? [run.error] : []),
    ...run.operations.flatMap((check) => check.problems.map((problem) => `${check.operation}: ${problem}`)),
    ...run.events.flatMap((check) => check.problems.map((problem) => `${check.operation} → ${check.type}: ${problem}`)),
  ];
}

export const validateServiceSkill: Skill = {
  name: SKILL,
  agentRole: 'qa-engineer',
  description: 'Type-checks a generated service, runs its tests, then starts it and tests every OpenAPI operation and emitted event against the contracts.',
  run: validateService,
};
