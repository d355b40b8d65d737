/** The trailers every factory commit carries (git trailer format, at the end of the message). */
export interface CommitTrailers {
  'Trace-Id': string;
  'Workflow-Id': string;
  'Blueprint-Version': string;
}

export const TRAILER_KEYS: readonly (keyof CommitTrailers)[] = ['Trace-Id', 'Workflow-Id', 'Blueprint-Version'];

/** `message` (trimmed), a blank line, then one `Key: value` line per trailer; values are single lines. */
export function withTrailers(message: string, trailers: CommitTrailers): string {
  const lines = TRAILER_KEYS.map((key) => {
    const value = trailers[key];
    if (!value || /[\r\n]/.test(value)) throw new Error(`Trailer ${key} must be a non-empty single line.`);
    return `${key}: ${value}`;
  });
  return `${message.trim()}\n\n${lines.join('\n')}\n`;
}

/** The trailers of a commit message: `Key: value` lines of its last paragraph. */
export function readTrailers(message: string): Record<string, string> {
  const paragraphs = message.trim().split(/\n\s*\n/);
  const trailers: Record<string, string> = {};
  for (const line of (paragraphs[paragraphs.length - 1] ?? '').split('\n')) {
    const match = /^([A-Za-z0-9-]+):\s*(.*)$/.exec(line);
    if (match) trailers[match[1]] = match[2];
  }
  return trailers;
}
