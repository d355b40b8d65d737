import { DefaultAzureCredential } from '@azure/identity';
import type { FactoryConfig } from '../config';
import { createAppInsightsTelemetry } from './appInsightsTelemetry';
import { createJsonLinesTelemetry } from './jsonLinesTelemetry';
import { installTracePropagation } from './propagation';
import type { Telemetry } from './telemetry';

/**
 * The telemetry adapter the configuration selects: Application Insights when
 * APPLICATIONINSIGHTS_CONNECTION_STRING is set, authenticated with Entra ID (the user-assigned identity
 * of AZURE_CLIENT_ID in Azure, where infra/ turns the resource's local auth off), JSON lines on stdout
 * otherwise. Build once per process. Without Application Insights (whose OpenTelemetry SDK brings its own)
 * it registers the W3C trace propagation that carries a request's trace into the orchestrations it starts.
 */
export function createTelemetry(config: Pick<FactoryConfig, 'APPLICATIONINSIGHTS_CONNECTION_STRING' | 'LOG_LEVEL' | 'AZURE_CLIENT_ID'>): Telemetry {
  const level = config.LOG_LEVEL;
  if (!config.APPLICATIONINSIGHTS_CONNECTION_STRING) {
    installTracePropagation();
    return createJsonLinesTelemetry({ level });
  }
  const credential = new DefaultAzureCredential({ managedIdentityClientId: config.AZURE_CLIENT_ID });
  return createAppInsightsTelemetry({ connectionString: config.APPLICATIONINSIGHTS_CONNECTION_STRING, level, credential });
}
