import { CommanderError } from 'commander';
import { ExitCode } from './exitCodes';
import { buildProgram } from './program';
import { reportError } from './report';

/** Runs the CLI on argv and resolves to the exit code (usage errors 2, see exitCodes.ts). */
export async function run(argv: string[]): Promise<number> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv);
    return typeof process.exitCode === 'number' ? process.exitCode : ExitCode.Ok;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? ExitCode.Ok : ExitCode.Usage;
    const json = argv.includes('json') || argv.some((a) => a === '--json' || a.startsWith('--json='));
    return reportError(error, json);
  }
}
