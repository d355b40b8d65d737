import { ApiError, NotAvailable, type Problem } from './errors';

export interface RequestOptions {
  query?: Record<string, string | number | boolean | undefined>;
  /** A JSON body. */
  json?: unknown;
  /** A raw body (e.g. blueprint text) with its content type. */
  body?: string;
  contentType?: string;
  /** Read the answer as bytes (artifact content, archives) instead of JSON. */
  binary?: boolean;
  /** Names the feature in the error when no route answers (a server without it). */
  feature?: string;
}

export interface BinaryAnswer {
  bytes: Buffer;
  contentType: string;
  headers: Headers;
}

/** Thin client of the factory's public API: bearer key, JSON in and out, problem+json errors as ApiError. */
export class FactoryClient {
  constructor(
    readonly baseUrl: string,
    private readonly key: string,
  ) {}

  /** `path` is relative to `/api/`; path segments must be encoded by the caller (see `seg`). */
  async request<T = unknown>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
    const url = new URL(`api/${path}`, this.baseUrl.endsWith('/') ? this.baseUrl : `${this.baseUrl}/`);
    for (const [name, value] of Object.entries(options.query ?? {})) if (value !== undefined) url.searchParams.set(name, String(value));
    const headers: Record<string, string> = { authorization: `Bearer ${this.key}`, accept: options.binary ? '*/*' : 'application/json, application/problem+json' };
    let body: string | undefined;
    if (options.json !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(options.json);
    } else if (options.body !== undefined) {
      headers['content-type'] = options.contentType ?? 'text/plain';
      body = options.body;
    }
    let res: Response;
    try {
      res = await fetch(url, { method, headers, body });
    } catch (error) {
      const cause = (error as { cause?: { code?: string; message?: string } }).cause;
      throw new Error(`Cannot reach the factory at ${this.baseUrl}: ${cause?.code ?? cause?.message ?? (error as Error).message}`);
    }
    if (!res.ok) throw this.toError(method, path, res.status, await res.text(), options.feature);
    if (options.binary) return { bytes: Buffer.from(await res.arrayBuffer()), contentType: res.headers.get('content-type') ?? 'application/octet-stream', headers: res.headers } as T;
    const text = await res.text();
    return (text ? JSON.parse(text) : undefined) as T;
  }

  get<T = unknown>(path: string, options?: RequestOptions): Promise<T> {
    return this.request<T>('GET', path, options);
  }

  post<T = unknown>(path: string, json?: unknown, options?: RequestOptions): Promise<T> {
    return this.request<T>('POST', path, { ...options, json: json ?? {} });
  }

  private toError(method: string, path: string, status: number, text: string, feature: string | undefined): Error {
    let problem: Problem;
    try {
      problem = JSON.parse(text) as Problem;
    } catch {
      problem = { status, title: `HTTP ${status}`, detail: text.slice(0, 500) || undefined };
    }
    problem.status ??= status;
    const error = new ApiError(method, path.split('?')[0], problem);
    if (error.routeMissing && feature) return new NotAvailable(feature, method, path.split('?')[0]);
    return error;
  }
}

/** One encoded path segment. */
export const seg = (value: string | number) => encodeURIComponent(String(value));
