/** Bytes of pending lines above which they are written at once instead of at the end of the loop turn. */
const FLUSH_AT_BYTES = 64 * 1024;

let pending: string[] = [];
let pendingBytes = 0;
let scheduled = false;

function flush(): void {
  scheduled = false;
  if (pending.length === 0) return;
  const text = pending.length === 1 ? pending[0] : pending.join('');
  pending = [];
  pendingBytes = 0;
  process.stdout.write(text);
}

/**
 * Writes whole lines to stdout, the lines of one event-loop turn together in one write: under load
 * many requests end in the same turn, and each `process.stdout.write` on a pipe is a system call.
 * Lines keep their order and are never split; they go out before the next turn's timers and I/O
 * (setImmediate), at once above 64 KiB, and synchronously on `exit` (a `process.exit()` right after
 * a log line loses nothing; only a SIGKILL inside the turn can).
 */
export function writeStdoutLine(line: string): void {
  pending.push(line);
  pendingBytes += line.length;
  if (pendingBytes >= FLUSH_AT_BYTES) return flush();
  if (scheduled) return;
  scheduled = true;
  setImmediate(flush);
}

process.on('exit', flush);
