import fs from 'node:fs';
import path from 'node:path';
import { adapterChoice, ConfigError, configSchema, loadConfig } from '../../shared/platform/config';
import { repoRoot } from '../support/hostProcess';

describe('configuration', () => {
  const keys = Object.keys(configSchema.shape);

  it('lists every setting in local.settings.sample.json and in the README', () => {
    const sample = JSON.parse(fs.readFileSync(path.join(repoRoot, 'local.settings.sample.json'), 'utf8')) as { Values: Record<string, string> };
    const readme = fs.readFileSync(path.join(repoRoot, 'README.md'), 'utf8');
    for (const key of keys) {
      expect(Object.keys(sample.Values)).toContain(key);
      expect(readme).toContain(`\`${key}\``);
    }
  });

  it('needs nothing locally and picks the embedded adapters', () => {
    const config = loadConfig({}, '/nonexistent');
    expect(adapterChoice(config)).toEqual({ store: 'sqlite', messaging: 'embedded', blobs: 'files', telemetry: 'json-logs' });
  });

  it('picks the Azure adapters when their settings are given', () => {
    const config = loadConfig({ COSMOS_ENDPOINT: 'https://acct.documents.azure.com:443/', SERVICEBUS_NAMESPACE: 'sb-x.servicebus.windows.net', BLOB_ACCOUNT_URL: 'https://acct.blob.core.windows.net' }, '/nonexistent');
    expect(adapterChoice(config)).toMatchObject({ store: 'cosmos', messaging: 'service-bus', blobs: 'azure-blob' });
  });

  it('names every bad setting', () => {
    expect(() => loadConfig({ COSMOS_ENDPOINT: 'not a url', SERVICEBUS_NAMESPACE: 'nope', ENTRA_ISSUER: 'https://login.example/' }, '/nonexistent')).toThrow(ConfigError);
    try {
      loadConfig({ COSMOS_ENDPOINT: 'not a url', SERVICEBUS_NAMESPACE: 'nope', ENTRA_ISSUER: 'https://login.example/' }, '/nonexistent');
    } catch (error) {
      const message = (error as Error).message;
      for (const name of ['COSMOS_ENDPOINT', 'SERVICEBUS_NAMESPACE', 'ENTRA_AUDIENCE', 'ENTRA_JWKS_URI']) expect(message).toContain(name);
    }
  });
});

describe('configuration in Azure', () => {
  const reference = '@Microsoft.KeyVault(VaultName=kv-abc;SecretName=factory-git-token)';

  it('refuses a Key Vault reference App Service could not resolve, naming the setting', () => {
    const attempt = () => loadConfig({ FACTORY_GIT_REMOTE: 'https://github.com/acme/{projectId}.git', FACTORY_GIT_TOKEN: reference }, '/nonexistent');
    expect(attempt).toThrow(ConfigError);
    expect(attempt).toThrow(/FACTORY_GIT_TOKEN: an unresolved Key Vault reference/);
    // The check covers every setting, not only the ones infra/ makes references today.
    expect(() => loadConfig({ COSMOS_KEY: '@microsoft.keyvault(SecretUri=https://kv-abc.vault.azure.net/secrets/cosmos/)' }, '/nonexistent')).toThrow(/COSMOS_KEY: an unresolved Key Vault reference/);
  });

  it('accepts the resolved value', () => {
    const config = loadConfig({ FACTORY_GIT_REMOTE: 'https://github.com/acme/{projectId}.git', FACTORY_GIT_TOKEN: 'ghp_resolved-token-value' }, '/nonexistent');
    expect(config.FACTORY_GIT_TOKEN).toBe('ghp_resolved-token-value');
  });

  it('requires FACTORY_ADMIN_KEY on Azure Functions (it would otherwise be generated and printed to the logs), not locally', () => {
    expect(() => loadConfig({ WEBSITE_INSTANCE_ID: 'instance-1' }, '/nonexistent')).toThrow(/FACTORY_ADMIN_KEY: required in Azure/);
    expect(() => loadConfig({ WEBSITE_INSTANCE_ID: 'instance-1', FACTORY_ADMIN_KEY: '@Microsoft.KeyVault(VaultName=kv-abc;SecretName=factory-admin-key)' }, '/nonexistent')).toThrow(
      /FACTORY_ADMIN_KEY: an unresolved Key Vault reference/,
    );
    expect(loadConfig({ WEBSITE_INSTANCE_ID: 'instance-1', FACTORY_ADMIN_KEY: 'k'.repeat(48) }, '/nonexistent').FACTORY_ADMIN_KEY).toBe('k'.repeat(48));
    expect(loadConfig({}, '/nonexistent').FACTORY_ADMIN_KEY).toBeUndefined();
  });
});
