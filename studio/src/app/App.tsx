import { useCallback, useEffect, useMemo, useState } from 'react';
import { ApiClient, apiUrl } from '../api/client';
import type { Me } from '../api/types';
import { SignIn } from '../auth/SignIn';
import { clearSession, loadSession, saveSession, type Session } from '../auth/session';
import { Loading } from '../components/common';
import { Shell } from './Shell';

function tokenSource(session: Session): () => Promise<string> {
  if (session.kind === 'apiKey') return async () => session.apiKey!;
  return async () => (await import('../auth/entra')).entraToken();
}

/** Signed out: the sign-in form. Signed in: the shell with the pages the principal's roles allow. */
export function App() {
  const [session, setSession] = useState<Session | undefined>(loadSession);
  const [me, setMe] = useState<Me>();

  useEffect(() => {
    if (!session || me) return;
    let live = true;
    (async () => {
      if (session.kind === 'entra') await (await import('../auth/entra')).resumeEntra();
      const token = await tokenSource(session)();
      const res = await fetch(apiUrl(`tenants/${encodeURIComponent(session.tenantId)}/me`), { headers: { authorization: `Bearer ${token}` } });
      if (!res.ok) throw new Error(String(res.status));
      if (live) setMe((await res.json()) as Me);
    })().catch(() => {
      clearSession();
      if (live) setSession(undefined);
    });
    return () => {
      live = false;
    };
  }, [session, me]);

  const signOut = useCallback(() => {
    clearSession();
    setMe(undefined);
    setSession(undefined);
  }, []);

  const api = useMemo(() => (session && me ? new ApiClient(tokenSource(session), session.tenantId, me.roles.includes('PlatformAdmin')) : undefined), [session, me]);

  if (!session) {
    return (
      <SignIn
        onSignedIn={(next, principal) => {
          saveSession(next);
          setMe(principal);
          setSession(next);
        }}
      />
    );
  }
  if (!me || !api) return <Loading what="Signing in" />;
  return <Shell api={api} me={me} homeTenant={session.tenantId} signOut={signOut} />;
}
