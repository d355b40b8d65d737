import type { ContractRun } from './contractTest';

/** What ValidateService found about one module's generated service. */

/** A compiler diagnostic; `file` is relative to the module folder (`src/app.ts`), lines and columns 1-based. */
export interface Diagnostic {
  file: string;
  line: number;
  column: number;
  /** The TypeScript error code, e.g. 2322. */
  code: number;
  message: string;
}

/** One test's outcome; `file`/`line` locate the failing assertion (else the test) in the TypeScript source. */
export interface TestResult {
  /** Suite and test names joined by ` > `. */
  name: string;
  status: 'passed' | 'failed' | 'skipped';
  file?: string;
  line?: number;
  column?: number;
  message?: string;
}

export interface TestRun {
  /** False when the type-check failed (nothing is run then) or there were no test files. */
  ran: boolean;
  timedOut: boolean;
  passed: number;
  failed: number;
  skipped: number;
  /** Sorted by file, then name. */
  results: TestResult[];
  /** The runner's own failure (a crash, a timeout, unparsable output), without timings. */
  error?: string;
}

/** The `validation-report` artifact's content: no durations, no temp paths, sorted lists. */
export interface ValidationReport {
  module: string;
  status: 'passed' | 'failed';
  typecheck: { files: number; diagnostics: Diagnostic[] };
  tests: TestRun;
  /** The started service against its contracts (absent when the tests failed or it was not asked for). */
  contract?: ContractRun;
}

export function compareLocated(a: { file?: string; line?: number; column?: number; name?: string }, b: typeof a): number {
  const text = (x?: string, y?: string) => ((x ?? '') < (y ?? '') ? -1 : (x ?? '') > (y ?? '') ? 1 : 0);
  return text(a.file, b.file) || (a.line ?? 0) - (b.line ?? 0) || (a.column ?? 0) - (b.column ?? 0) || text(a.name, b.name);
}

/** One line per problem, `file:line:column message`, for a developer skill's retry prompt. */
export function toFailureLines(report: ValidationReport): string[] {
  const diagnostics = report.typecheck.diagnostics.map((d) => `${d.file}:${d.line}:${d.column} TS${d.code}: ${d.message}`);
  const tests = report.tests.results
    .filter((result) => result.status === 'failed')
    .map((result) => `${result.file ?? '?'}:${result.line ?? 0}:${result.column ?? 0} test '${result.name}' failed: ${result.message ?? ''}`);
  const contract = report.contract
    ? [
        ...(report.contract.error ? [`contract: ${report.contract.error}`] : []),
        ...report.contract.operations.flatMap((check) => check.problems.map((problem) => `contract ${check.operation}: ${problem}`)),
        ...report.contract.events.flatMap((check) => check.problems.map((problem) => `event ${check.type} from ${check.operation}: ${problem}`)),
      ]
    : [];
  return [...diagnostics, ...tests, ...(report.tests.error ? [report.tests.error] : []), ...contract];
}
