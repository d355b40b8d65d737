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
    return reportError(error, wantsJson(argv));
  }
}

/** Whether the command asked for JSON (`-o json`, `--output json`, `--output=json`, `-ojson`, `--json`): errors follow suit. */
function wantsJson(argv: string[]): boolean {
  return argv.some((arg, i) => {
    if (arg === '--json' || arg.startsWith('--json=') || arg === '--output=json' || arg === '-ojson') return true;
    return (arg === '-o' || arg === '--output') && (argv[i + 1] === 'json' || argv[i + 1] === 'jsonl');
  });
}
