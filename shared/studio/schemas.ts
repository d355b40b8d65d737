import { z } from 'zod';

/**
 * Studio settings read from the app's environment. Entra ID sign-in appears in the Studio only when
 * `STUDIO_ENTRA_CLIENT_ID` and `STUDIO_ENTRA_AUTHORITY` are both set (the API then also needs the
 * `ENTRA_*` token-validation settings, see shared/platform/config.ts).
 */
export const studioEnvSchema = z
  .object({
    STUDIO_ENTRA_CLIENT_ID: z.string().min(1).optional().describe('Application (client) id of the Studio SPA registration'),
    STUDIO_ENTRA_AUTHORITY: z.url().optional().describe('e.g. https://login.microsoftonline.com/<tenant id>'),
    STUDIO_ENTRA_SCOPES: z.string().min(1).optional().describe('Space-separated scopes to request, e.g. api://factory/.default'),
  })
  .superRefine((env, ctx) => {
    if (Boolean(env.STUDIO_ENTRA_CLIENT_ID) !== Boolean(env.STUDIO_ENTRA_AUTHORITY)) {
      ctx.addIssue({ code: 'custom', path: [env.STUDIO_ENTRA_CLIENT_ID ? 'STUDIO_ENTRA_AUTHORITY' : 'STUDIO_ENTRA_CLIENT_ID'], message: 'set both or neither' });
    }
  });

/** What `GET /api/studio/config` answers: how the Studio may sign people in. */
export const studioConfigView = z
  .object({
    apiKeySignIn: z.literal(true).describe('Pasting an API key always works'),
    entra: z
      .object({ clientId: z.string(), authority: z.string(), scopes: z.array(z.string()) })
      .optional()
      .describe('Present when Entra ID sign-in is configured'),
  })
  .meta({ id: 'StudioConfig' });

export type StudioConfigView = z.infer<typeof studioConfigView>;

/** The config view from the environment; a half-configured Entra ID is a caller-visible error at start, not a silent fallback. */
export function toStudioConfig(env: NodeJS.ProcessEnv): StudioConfigView {
  const parsed = studioEnvSchema.parse(env);
  if (!parsed.STUDIO_ENTRA_CLIENT_ID || !parsed.STUDIO_ENTRA_AUTHORITY) return { apiKeySignIn: true };
  const scopes = (parsed.STUDIO_ENTRA_SCOPES ?? 'openid profile').split(/\s+/).filter(Boolean);
  return { apiKeySignIn: true, entra: { clientId: parsed.STUDIO_ENTRA_CLIENT_ID, authority: parsed.STUDIO_ENTRA_AUTHORITY, scopes } };
}
