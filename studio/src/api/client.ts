import { ApiProblem } from './problem';

/** Supplies the bearer token for each call (an API key, or an Entra ID access token from MSAL). */
export type TokenSource = () => Promise<string>;

/** The API base, relative to the document's <base href>, so the Studio works under any mount. */
export function apiUrl(path: string): string {
  return new URL(`api/${path.replace(/^\/+/, '')}`, document.baseURI).href;
}

/**
 * A thin client of the public API, bound to one tenant: it refuses (without a request) any path
 * under another tenant unless the principal is PlatformAdmin, so the UI never calls another
 * tenant's routes.
 */
export class ApiClient {
  constructor(
    private readonly token: TokenSource,
    readonly tenantId: string,
    private readonly platformAdmin = false,
  ) {}

  withRoles(platformAdmin: boolean, tenantId = this.tenantId): ApiClient {
    return new ApiClient(this.token, tenantId, platformAdmin);
  }

  async get<T>(path: string, query?: Record<string, string | number | undefined>): Promise<T> {
    return this.request<T>('GET', withQuery(path, query));
  }

  /** A body as text, whatever its content type (artifact content, YAML). */
  async text(path: string, query?: Record<string, string | number | undefined>): Promise<string> {
    const full = withQuery(path, query);
    this.guardTenant(full);
    const res = await fetch(apiUrl(full), { headers: { authorization: `Bearer ${await this.token()}` } });
    const text = await res.text();
    if (!res.ok) throw new ApiProblem(res.status, safeJson(text) ?? { detail: text || res.statusText });
    return text;
  }

  async post<T>(path: string, body?: unknown, contentType = 'application/json'): Promise<T> {
    return this.request<T>('POST', path, body === undefined ? undefined : contentType === 'application/json' ? JSON.stringify(body) : String(body), contentType);
  }

  async put<T>(path: string, body: unknown): Promise<T> {
    return this.request<T>('PUT', path, JSON.stringify(body), 'application/json');
  }

  async request<T>(method: string, path: string, body?: string, contentType?: string): Promise<T> {
    this.guardTenant(path);
    const headers: Record<string, string> = { authorization: `Bearer ${await this.token()}`, accept: 'application/json, application/problem+json' };
    if (contentType) headers['content-type'] = contentType;
    const res = await fetch(apiUrl(path), { method, headers, body });
    const text = await res.text();
    const parsed = text && /json/.test(res.headers.get('content-type') ?? '') ? JSON.parse(text) : text;
    if (!res.ok) throw new ApiProblem(res.status, typeof parsed === 'object' && parsed ? parsed : { detail: String(parsed || res.statusText) });
    return parsed as T;
  }

  private guardTenant(path: string): void {
    const match = /^\/?tenants\/([^/?]+)/.exec(path);
    if (match && decodeURIComponent(match[1]) !== this.tenantId && !this.platformAdmin) {
      throw new ApiProblem(403, { title: 'Forbidden', detail: `Studio does not call tenant '${match[1]}' routes for a principal of '${this.tenantId}'.`, code: 'OtherTenant' });
    }
  }
}

function withQuery(path: string, query?: Record<string, string | number | undefined>): string {
  if (!query) return path;
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) if (value !== undefined && value !== '') params.set(key, String(value));
  const text = params.toString();
  return text ? `${path}${path.includes('?') ? '&' : '?'}${text}` : path;
}

function safeJson(text: string): Record<string, never> | undefined {
  try {
    const value = JSON.parse(text) as unknown;
    return typeof value === 'object' && value ? (value as Record<string, never>) : undefined;
  } catch {
    return undefined;
  }
}
