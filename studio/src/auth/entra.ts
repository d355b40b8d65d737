import { PublicClientApplication, type AccountInfo } from '@azure/msal-browser';
import { apiUrl } from '../api/client';
import type { Me } from '../api/types';
import type { Session } from './session';

/** Loaded only when the factory names an Entra ID app (`GET /api/studio/config`), so MSAL stays out of the first page. */
let msal: PublicClientApplication | undefined;
let scopes: string[] = [];

async function client(config: { clientId: string; authority: string; scopes: string[] }): Promise<PublicClientApplication> {
  if (!msal) {
    msal = new PublicClientApplication({
      auth: { clientId: config.clientId, authority: config.authority, redirectUri: new URL('.', document.baseURI).href },
      cache: { cacheLocation: 'sessionStorage' },
    });
    await msal.initialize();
    scopes = config.scopes;
  }
  return msal;
}

/** Pops up the Entra ID sign-in, then asks the factory who that is in `tenantId`. */
export async function signInWithEntra(config: { clientId: string; authority: string; scopes: string[] }, tenantId: string): Promise<{ session: Session; me: Me }> {
  if (!tenantId) throw new Error('Name the tenant first.');
  const app = await client(config);
  const result = await app.loginPopup({ scopes });
  app.setActiveAccount(result.account);
  const token = await entraToken();
  const res = await fetch(apiUrl(`tenants/${encodeURIComponent(tenantId)}/me`), { headers: { authorization: `Bearer ${token}` } });
  if (!res.ok) throw new Error(`The factory did not accept this account for '${tenantId}' (${res.status}).`);
  return { session: { tenantId, kind: 'entra' }, me: (await res.json()) as Me };
}

/** A current access token for the API (silently renewed; a popup when renewal needs the user). */
export async function entraToken(): Promise<string> {
  if (!msal) throw new Error('Entra ID sign-in is not initialised');
  const account: AccountInfo | null = msal.getActiveAccount() ?? msal.getAllAccounts()[0] ?? null;
  if (!account) throw new Error('Signed out of Entra ID');
  try {
    return (await msal.acquireTokenSilent({ scopes, account })).accessToken;
  } catch {
    return (await msal.acquireTokenPopup({ scopes, account })).accessToken;
  }
}

/** Re-creates MSAL after a reload (the Entra session survives in sessionStorage). */
export async function resumeEntra(): Promise<void> {
  const res = await fetch(apiUrl('studio/config'));
  const config = (await res.json()) as { entra?: { clientId: string; authority: string; scopes: string[] } };
  if (!config.entra) throw new Error('Entra ID sign-in is not configured');
  await client(config.entra);
}
