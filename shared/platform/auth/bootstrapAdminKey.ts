import type { ApiKeyService } from './apiKeyService';

/** Where the bootstrap key may come from and where a generated one may be shown. */
export interface BootstrapKeyOptions {
  /** FACTORY_ADMIN_KEY: used as the key (and replaces any stored one) when set. */
  configuredKey: string | undefined;
  /**
   * False in Azure (`hostedInAzure()`), where stdout is shipped to Application Insights and kept for
   * its retention: a key is then never generated, FACTORY_ADMIN_KEY (a Key Vault reference) is required.
   */
  mayPrint: boolean;
  write?: (text: string) => void;
}

/** Thrown in Azure when FACTORY_ADMIN_KEY is missing (the configuration check reports it first). */
export class BootstrapKeyRequired extends Error {
  constructor() {
    super('FACTORY_ADMIN_KEY: required in Azure (a Key Vault reference to secret factory-admin-key); a generated key would be printed to logs');
  }
}

/**
 * Start-up step of the composition root: makes sure a PlatformAdmin key exists. With
 * FACTORY_ADMIN_KEY set that key is used (and replaces any stored one). Otherwise, where printing is
 * allowed (the local host, Core Tools), a key is generated the first time (or after the bootstrap key
 * was revoked) and written to stdout once, directly and not through telemetry (which would redact it).
 * Lost it? Set FACTORY_ADMIN_KEY and restart: the configured key replaces the stored one.
 */
export async function ensureBootstrapAdminKey(apiKeys: ApiKeyService, options: BootstrapKeyOptions): Promise<void> {
  if (!options.configuredKey && !options.mayPrint) throw new BootstrapKeyRequired();
  const generated = await apiKeys.ensureBootstrapAdminKey(options.configuredKey);
  if (generated) {
    const write = options.write ?? ((text: string) => void process.stdout.write(text));
    write(
      `\n[software-factory] Bootstrap PlatformAdmin API key (shown once, store it now):\n  ${generated}\n` +
        `  Use it as "Authorization: Bearer <key>". It is stored only as a hash.\n\n`,
    );
  }
}
