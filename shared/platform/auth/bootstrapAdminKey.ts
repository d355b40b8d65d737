import type { ApiKeyService } from './apiKeyService';

/**
 * Start-up step of the composition root: makes sure a PlatformAdmin key exists. With
 * FACTORY_ADMIN_KEY set that key is used (and replaces any stored one). Without it a key is generated
 * the first time (or after the bootstrap key was revoked) and written to stdout once, directly and
 * not through telemetry (which would redact it). Lost it? Set FACTORY_ADMIN_KEY and restart: the
 * configured key replaces the stored one.
 */
export async function ensureBootstrapAdminKey(
  apiKeys: ApiKeyService,
  configuredKey: string | undefined,
  write: (text: string) => void = (text) => void process.stdout.write(text),
): Promise<void> {
  const generated = await apiKeys.ensureBootstrapAdminKey(configuredKey);
  if (generated) {
    write(
      `\n[software-factory] Bootstrap PlatformAdmin API key (shown once, store it now):\n  ${generated}\n` +
        `  Use it as "Authorization: Bearer <key>". It is stored only as a hash.\n\n`,
    );
  }
}
