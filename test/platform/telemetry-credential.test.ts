import type { AccessToken, TokenCredential } from '@azure/identity';
import { newAppInsightsClient } from '../../shared/platform/telemetry/appInsightsTelemetry';

/** infra/ turns Application Insights local auth off: the exporter must present an Entra ID token. */
describe('Application Insights exporter authentication', () => {
  const connectionString = 'InstrumentationKey=00000000-0000-0000-0000-000000000000;IngestionEndpoint=https://127.0.0.1:9/';
  const credential: TokenCredential = { getToken: async (): Promise<AccessToken> => ({ token: 'token', expiresOnTimestamp: Date.now() + 60_000 }) };
  type ParsedOptions = { azureMonitorExporterOptions: { credential?: TokenCredential; connectionString?: string } };
  const parse = (client: ReturnType<typeof newAppInsightsClient>) => (client.config as unknown as { parseConfig(): ParsedOptions }).parseConfig();

  it('hands the credential (the managed identity in Azure) to the Azure Monitor exporter', () => {
    const options = parse(newAppInsightsClient(connectionString, credential, false));
    expect(options.azureMonitorExporterOptions.credential).toBe(credential);
    expect(options.azureMonitorExporterOptions.connectionString).toBe(connectionString);
  });

  it('sends with the instrumentation key alone when no credential is given', () => {
    expect(parse(newAppInsightsClient(connectionString, undefined, false)).azureMonitorExporterOptions.credential).toBeUndefined();
  });
});
