import { useEffect, useState, type FormEvent } from 'react';
import { apiUrl } from '../api/client';
import type { Me } from '../api/types';
import { tenantOfKey, type Session } from './session';

interface StudioConfig {
  apiKeySignIn: true;
  entra?: { clientId: string; authority: string; scopes: string[] };
}

/** Checks a key against `GET /api/tenants/{t}/me`; answers the principal or a sentence saying why not. */
async function checkKey(tenantId: string, key: string): Promise<Me | string> {
  const res = await fetch(apiUrl(`tenants/${encodeURIComponent(tenantId)}/me`), { headers: { authorization: `Bearer ${key}` } });
  if (res.ok) return (await res.json()) as Me;
  if (res.status === 401) return 'The key was not accepted (unknown, revoked or expired).';
  if (res.status === 403 || res.status === 404) return `This key does not belong to tenant '${tenantId}'.`;
  return `Sign-in failed (${res.status}).`;
}

export function SignIn({ onSignedIn }: { onSignedIn(session: Session, me: Me): void }) {
  const [key, setKey] = useState('');
  const [tenant, setTenant] = useState('');
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const [config, setConfig] = useState<StudioConfig>();

  useEffect(() => {
    fetch(apiUrl('studio/config'))
      .then((res) => (res.ok ? (res.json() as Promise<StudioConfig>) : undefined))
      .then(setConfig, () => undefined);
  }, []);

  const keyTenant = tenantOfKey(key);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const tenantId = (keyTenant ?? tenant).trim();
    if (!key.trim() || !tenantId) return setError('Paste a key and name the tenant.');
    setBusy(true);
    setError(undefined);
    const me = await checkKey(tenantId, key.trim()).catch(() => 'The factory did not answer.');
    setBusy(false);
    if (typeof me === 'string') return setError(me);
    onSignedIn({ tenantId, apiKey: key.trim(), kind: 'apiKey' }, me);
  };

  const entra = async () => {
    if (!config?.entra) return;
    setBusy(true);
    try {
      const { signInWithEntra } = await import('./entra');
      const result = await signInWithEntra(config.entra, tenant.trim());
      onSignedIn(result.session, result.me);
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <main className="signin" id="main">
      <h1 id="signin-title">Factory Studio</h1>
      <p className="muted">Steer the software factory: blueprints, workflows, approvals, artifacts, audit and costs.</p>
      <form onSubmit={submit} className="card stack" aria-labelledby="signin-title">
        <label>
          API key
          <input type="password" autoComplete="off" spellCheck={false} value={key} onChange={(e) => setKey(e.target.value)} placeholder="sf_…" required />
        </label>
        <label>
          Tenant
          <input value={keyTenant ?? tenant} onChange={(e) => setTenant(e.target.value)} disabled={Boolean(keyTenant)} placeholder="acme" required />
        </label>
        <p className="muted small">The key is kept in this tab's session storage only and sent as a bearer token.</p>
        {error ? (
          <p className="error" role="alert">
            {error}
          </p>
        ) : null}
        <button type="submit" disabled={busy}>
          Sign in
        </button>
        {config?.entra ? (
          <button type="button" className="secondary" onClick={entra} disabled={busy}>
            Sign in with Microsoft Entra ID
          </button>
        ) : null}
      </form>
    </main>
  );
}
