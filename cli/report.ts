import { painter } from './color';
import { ApiError, Exit, NotAvailable, UsageError, type Problem } from './errors';
import { ExitCode } from './exitCodes';

/** Where a blueprint came from, so problem paths can be shown as file:line:column. */
export interface SourceFile {
  name: string;
  text: string;
}

/**
 * Writes an error to stderr and returns its exit code. Problems show every `errors[]` entry with its
 * path (and, for a blueprint file, its line and column); `-o json` writes the problem as JSON.
 */
export function reportError(error: unknown, json: boolean): number {
  if (error instanceof Exit) return error.exitCode;
  const paint = painter(process.stderr);
  if (error instanceof ApiError) {
    process.stderr.write(json ? `${JSON.stringify(error.problem, null, 2)}\n` : formatProblem(error, error.source, paint));
    return error.exitCode;
  }
  if (error instanceof UsageError || error instanceof NotAvailable) {
    process.stderr.write(`${paint('red', 'error:')} ${error.message}\n`);
    return error.exitCode;
  }
  process.stderr.write(`${paint('red', 'error:')} ${(error as Error)?.message ?? String(error)}\n`);
  return ExitCode.Failed;
}

/** `error: <detail> (<status> <code>)`, one line per problem, and the trace id. */
export function formatProblem(error: ApiError, source: SourceFile | undefined, paint = painter(process.stderr)): string {
  const p: Problem = error.problem;
  const lines = [`${paint('red', 'error:')} ${p.detail ?? p.title ?? 'request failed'} (${p.status}${p.code ? ` ${p.code}` : ''}; ${error.method} /api/${error.path})`];
  const problems = p.errors ?? [];
  // The server locates problems of `blueprints/validate`; the local mapping covers the ones it did not.
  const unlocated = problems.filter((e) => e.line === undefined).map((e) => e.path);
  const positions = source && unlocated.length ? locate(source.text, unlocated) : undefined;
  for (const item of problems) {
    const at = item.line !== undefined ? { line: item.line, column: item.column ?? 1 } : positions?.get(item.path);
    const where = at ? `${source!.name}:${at.line}:${at.column} ` : '';
    lines.push(`  ${where}${paint('bold', item.path || '(document)')}: ${item.message}${item.code ? paint('dim', ` [${item.code}]`) : ''}`);
  }
  if (p.traceId) lines.push(paint('dim', `  traceId ${p.traceId}`));
  return `${lines.join('\n')}\n`;
}

function locate(text: string, paths: string[]) {
  // Loaded only when a blueprint file's problems are shown: keeps start-up fast.
  const { locatePaths } = require('./blueprintPositions') as typeof import('./blueprintPositions');
  try {
    return locatePaths(text, paths);
  } catch {
    return undefined;
  }
}
