import type { RpcLogLevel } from './core/types';

/** One JSON line per invocation and per log call, on stdout; never a secret (callers pass none). */
export class HostLogger {
  constructor(private readonly options: { invocations: boolean; level: 'debug' | 'info' | 'warn' } = { invocations: true, level: 'info' }) {}

  private write(record: Record<string, unknown>): void {
    process.stdout.write(JSON.stringify({ time: new Date().toISOString(), ...record }) + '\n');
  }

  info(message: string, fields: Record<string, unknown> = {}): void {
    if (this.options.level === 'warn') return;
    this.write({ level: 'info', message, ...fields });
  }

  warn(message: string, fields: Record<string, unknown> = {}): void {
    this.write({ level: 'warn', message, ...fields });
  }

  error(message: string, fields: Record<string, unknown> = {}): void {
    this.write({ level: 'error', message, ...fields });
  }

  invocation(fields: { function: string; invocationId: string; traceId: string; spanId?: string; parentSpanId?: string; durationMs: number; outcome: 'Succeeded' | 'Failed'; error?: string }): void {
    if (!this.options.invocations) return;
    this.write({ level: fields.outcome === 'Failed' ? 'warn' : 'info', message: 'invocation', ...fields, durationMs: Math.round(fields.durationMs * 100) / 100 });
  }

  user(level: RpcLogLevel, fields: Record<string, unknown>): void {
    if (level === 'trace' || level === 'debug') {
      if (this.options.level !== 'debug') return;
    } else if (this.options.level === 'warn' && level === 'information') return;
    this.write({ level: level === 'information' ? 'info' : level, ...fields });
  }
}
