import { execFileSync } from 'node:child_process';
import path from 'node:path';

// The JSON-lines telemetry's stdout writer, run in a child process so that its real stdout is a pipe.
const writer = path.resolve(__dirname, '../../shared/platform/telemetry/stdoutLines.js');

function run(script: string): string {
  const prelude = `const { writeStdoutLine } = require(${JSON.stringify(writer)}); let writes = 0; const original = process.stdout.write.bind(process.stdout); process.stdout.write = (chunk, ...rest) => { writes++; return original(chunk, ...rest); };`;
  return execFileSync(process.execPath, ['-e', prelude + script], { encoding: 'utf8', timeout: 60_000 });
}

describe('telemetry lines on stdout', () => {
  it('writes the lines of one event-loop turn in one write, in order', () => {
    const out = run(`for (let i = 0; i < 5; i++) writeStdoutLine('line ' + i + '\\n'); setImmediate(() => setImmediate(() => original('writes ' + writes + '\\n')));`);
    expect(out).toBe('line 0\nline 1\nline 2\nline 3\nline 4\nwrites 1\n');
  });

  it('keeps the order of lines across turns', () => {
    const out = run(`writeStdoutLine('a\\n'); setTimeout(() => { writeStdoutLine('b\\n'); setTimeout(() => writeStdoutLine('c\\n'), 5); }, 5);`);
    expect(out).toBe('a\nb\nc\n');
  });

  it('loses no line when the process exits in the same turn', () => {
    const out = run(`writeStdoutLine('before exit\\n'); process.exit(0);`);
    expect(out).toBe('before exit\n');
  });

  it('writes at once when a turn piles up more than 64 KiB', () => {
    const out = run(`const big = 'x'.repeat(40 * 1024) + '\\n'; writeStdoutLine(big); writeStdoutLine(big); original('writes ' + writes + '\\n');`);
    expect(out.endsWith('writes 1\n')).toBe(true);
    expect(out.length).toBe(2 * (40 * 1024 + 1) + 'writes 1\n'.length);
  });
});
