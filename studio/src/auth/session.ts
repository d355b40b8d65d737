/**
 * The signed-in principal's credentials. API keys live in sessionStorage only (gone when the tab
 * closes, never in a URL, never logged); Entra ID tokens are held by MSAL in its own session cache.
 */
export interface Session {
  tenantId: string;
  /** A factory API key (`sf_...` or the bootstrap key), or absent for Entra ID. */
  apiKey?: string;
  kind: 'apiKey' | 'entra';
}

const STORAGE_KEY = 'factory-studio.session';

export function loadSession(): Session | undefined {
  try {
    const raw = sessionStorage.getItem(STORAGE_KEY);
    return raw ? (JSON.parse(raw) as Session) : undefined;
  } catch {
    return undefined;
  }
}

export function saveSession(session: Session): void {
  sessionStorage.setItem(STORAGE_KEY, JSON.stringify(session));
}

export function clearSession(): void {
  sessionStorage.removeItem(STORAGE_KEY);
}

/** `sf_<tenant>.<id>_<secret>` names its tenant; the bootstrap key does not. */
export function tenantOfKey(key: string): string | undefined {
  const match = /^sf_(.+)\.[^._]+_[0-9a-f]{32,}$/.exec(key.trim());
  if (!match) return undefined;
  try {
    return decodeURIComponent(match[1]);
  } catch {
    return undefined;
  }
}
