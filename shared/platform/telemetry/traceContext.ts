import { randomFillSync } from 'node:crypto';

/** A W3C trace context (https://www.w3.org/TR/trace-context/): one trace, the current span. */
export interface TraceContext {
  /** 32 lowercase hex characters, never all zeros. */
  traceId: string;
  /** 16 lowercase hex characters of the current span. */
  spanId: string;
  /** Trace flags byte as two hex characters (`01` = sampled). */
  flags: string;
}

const TRACEPARENT = /^([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})(?:-.*)?$/;

/** Parses a `traceparent` header value; `undefined` when absent or malformed. */
export function parseTraceparent(value: string | null | undefined): TraceContext | undefined {
  const match = TRACEPARENT.exec((value ?? '').trim().toLowerCase());
  if (!match) return undefined;
  const [, version, traceId, spanId, flags] = match;
  if (version === 'ff' || /^0+$/.test(traceId) || /^0+$/.test(spanId)) return undefined;
  return { traceId, spanId, flags };
}

/** Formats a trace context as a version-00 `traceparent` value. */
export function toTraceparent(context: TraceContext): string {
  return `00-${context.traceId}-${context.spanId}-${context.flags}`;
}

/** A new span: in the parent's trace when given, otherwise the root of a new sampled trace. */
export function startTraceContext(parent?: TraceContext): TraceContext {
  return {
    traceId: parent?.traceId ?? randomHex(16),
    spanId: randomHex(8),
    flags: parent?.flags ?? '01',
  };
}

const RANDOM_POOL_BYTES = 4096;
let randomPool = Buffer.alloc(0);
let randomOffset = 0;

/** `bytes` cryptographically random bytes as hex, drawn from a pool refilled 4 KiB at a time (one system call per ~170 spans). */
function randomHex(bytes: number): string {
  if (randomOffset + bytes > randomPool.length) {
    randomPool = randomFillSync(Buffer.allocUnsafe(RANDOM_POOL_BYTES));
    randomOffset = 0;
  }
  randomOffset += bytes;
  return randomPool.toString('hex', randomOffset - bytes, randomOffset);
}
