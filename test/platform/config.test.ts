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
