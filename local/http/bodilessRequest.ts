/**
 * The web `Request` behind an HTTP trigger's `HttpRequest`, for a GET or HEAD without a body: url,
 * method and headers answer at once (the `Headers` are made on first use), and the real `Request`
 * is made only when something needs it (body, `text()`, `clone()`…). Constructing a `Request`
 * (URL parsing, an AbortSignal, header validation) is most of what the programming model spends on
 * a trivial GET, and most GET handlers never touch it.
 *
 * `@azure/functions` (4.x, `HttpRequest` constructor) uses the `nativeRequest` of the RPC http data
 * when given — the path its own HTTP streaming takes — and builds a `Request` from `url`, `method`
 * and `headers` otherwise; those stay in the RPC data, so a library without that field behaves the
 * same, only slower. Only GET and HEAD without a body take this path: for them the library's own
 * `Request` never has a body either, and their method names are ones `Request` accepts unchanged.
 */
export class BodilessRequest {
  private madeHeaders: Headers | undefined;
  private made: Request | undefined;

  constructor(
    /** Absolute and already normalized by WHATWG URL (as `Request#url` would give it). */
    readonly url: string,
    readonly method: 'GET' | 'HEAD',
    private readonly headerValues: Record<string, string>,
  ) {}

  get headers(): Headers {
    return (this.madeHeaders ??= new Headers(this.headerValues));
  }

  get body(): ReadableStream<Uint8Array> | null {
    return this.request.body;
  }

  get bodyUsed(): boolean {
    return this.request.bodyUsed;
  }

  arrayBuffer(): Promise<ArrayBuffer> {
    return this.request.arrayBuffer();
  }

  blob(): Promise<Blob> {
    return this.request.blob();
  }

  formData(): Promise<FormData> {
    return this.request.formData();
  }

  json(): Promise<unknown> {
    return this.request.json();
  }

  text(): Promise<string> {
    return this.request.text();
  }

  clone(): Request {
    return this.request.clone();
  }

  private get request(): Request {
    return (this.made ??= new Request(this.url, { method: this.method, headers: this.headers }));
  }
}

/** The lighter native request for `method` and `body`, or undefined when the library should build its own. */
export function bodilessRequest(method: string, url: string, headers: Record<string, string>, body: Buffer): BodilessRequest | undefined {
  return (method === 'GET' || method === 'HEAD') && body.length === 0 ? new BodilessRequest(url, method, headers) : undefined;
}
