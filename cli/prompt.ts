import { UsageError } from './errors';

/** True when a person is there to answer: stdin and stderr are both terminals. */
export function canPrompt(): boolean {
  return Boolean(process.stdin.isTTY && process.stderr.isTTY);
}

/**
 * The value of a missing flag: asked on the terminal (without echo when `secret`), or a usage
 * error naming the flag when there is no terminal (scripts and pipelines never hang on a prompt).
 */
export async function askFor(flag: string, question: string, options: { secret?: boolean } = {}): Promise<string> {
  if (!canPrompt()) throw new UsageError(`Missing ${flag} (no terminal to prompt on).`);
  const [{ createInterface }, { Writable }] = await Promise.all([import('node:readline/promises'), import('node:stream')]);
  let muted = false;
  const output = new Writable({
    write(chunk, encoding, done) {
      if (!muted) process.stderr.write(chunk, encoding);
      done();
    },
  });
  const rl = createInterface({ input: process.stdin, output, terminal: true });
  try {
    const pending = rl.question(`${question}: `);
    muted = Boolean(options.secret);
    const answer = (await pending).trim();
    if (muted) process.stderr.write('\n');
    if (!answer) throw new UsageError(`Missing ${flag}.`);
    return answer;
  } finally {
    rl.close();
  }
}

/** A yes/no confirmation of a destructive act; without a terminal `--yes` is required. */
export async function confirm(question: string, yes: boolean | undefined): Promise<void> {
  if (yes) return;
  if (!canPrompt()) throw new UsageError('Pass --yes to confirm (no terminal to prompt on).');
  const { createInterface } = await import('node:readline/promises');
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    const answer = (await rl.question(`${question} [y/N] `)).trim().toLowerCase();
    if (answer !== 'y' && answer !== 'yes') throw new UsageError('Not confirmed.');
  } finally {
    rl.close();
  }
}
