import type { IncomingMessage } from 'node:http';

export class PayloadTooLarge extends Error {
  constructor(readonly limit: number) {
    super(`The request body exceeds ${limit} bytes.`);
  }
}

/** Thrown when the bytes all requests are buffering at once would pass the host's budget. */
export class BodyBudgetExhausted extends Error {
  constructor() {
    super('The host is receiving too many large request bodies at once; retry shortly.');
  }
}

/**
 * A shared budget of bytes being buffered by requests at once (anonymous routes): a request whose
 * next chunk does not fit is refused, so a flood of large bodies cannot grow the host's memory by
 * more than the budget. The first `freePerRequest` bytes of each body (256 KiB: every ordinary API
 * call) are not counted, so large bodies compete only with each other.
 */
export class BodyBudget {
  private used = 0;
  constructor(
    readonly limit: number,
    readonly freePerRequest = 256 * 1024,
  ) {}
  /** The counted bytes of a body of `size` bytes. */
  counted(size: number): number {
    return Math.max(0, size - this.freePerRequest);
  }
  take(bytes: number): boolean {
    if (this.used + bytes > this.limit) return false;
    this.used += bytes;
    return true;
  }
  give(bytes: number): void {
    this.used = Math.max(0, this.used - bytes);
  }
}

/** True when the request announces a body (Content-Length > 0 or chunked). */
export function hasBody(req: IncomingMessage): boolean {
  const length = req.headers['content-length'];
  return (length !== undefined && length !== '0') || req.headers['transfer-encoding'] !== undefined;
}

/**
 * Reads a request body of at most `limit` bytes. A declared Content-Length over the limit is
 * refused before a byte is read; a chunked body is streamed and refused the moment it passes the
 * limit (the rest is never buffered). Memory held: at most `limit` bytes per request. A request
 * with neither Content-Length nor Transfer-Encoding has no body (RFC 9112 §6.3): empty at once.
 * Rejects with PayloadTooLarge, or with the socket's error when the client goes away.
 */
export function readBody(req: IncomingMessage, limit: number, budget?: BodyBudget): Promise<Buffer> {
  const declared = Number(req.headers['content-length'] ?? NaN);
  if (Number.isFinite(declared) && declared > limit) return Promise.reject(new PayloadTooLarge(limit));
  if (declared === 0 || !hasBody(req)) return Promise.resolve(Buffer.alloc(0));
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    const settle = () => {
      done = true;
      budget?.give(budget.counted(size));
      req.removeListener('data', onData);
    };
    const fail = (error: Error) => {
      if (done) return;
      settle();
      chunks.length = 0;
      reject(error);
    };
    const onData = (chunk: Buffer) => {
      if (size + chunk.length > limit) return fail(new PayloadTooLarge(limit));
      if (budget && !budget.take(budget.counted(size + chunk.length) - budget.counted(size))) return fail(new BodyBudgetExhausted());
      size += chunk.length;
      chunks.push(chunk);
    };
    req.on('data', onData);
    req.once('end', () => {
      if (done) return;
      settle();
      resolve(chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, size));
    });
    req.once('error', fail);
    req.once('aborted', () => fail(new Error('The client closed the connection.')));
  });
}
