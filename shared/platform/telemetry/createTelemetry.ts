import type { FactoryConfig } from '../config';
import { createAppInsightsTelemetry } from './appInsightsTelemetry';
import { createJsonLinesTelemetry } from './jsonLinesTelemetry';
import type { Telemetry } from './telemetry';

/**
 * The telemetry adapter the configuration selects: Application Insights when
 * APPLICATIONINSIGHTS_CONNECTION_STRING is set, JSON lines on stdout otherwise. Build once per process.
 */
export function createTelemetry(config: Pick<FactoryConfig, 'APPLICATIONINSIGHTS_CONNECTION_STRING' | 'LOG_LEVEL'>): Telemetry {
  const level = config.LOG_LEVEL;
  return config.APPLICATIONINSIGHTS_CONNECTION_STRING
    ? createAppInsightsTelemetry({ connectionString: config.APPLICATIONINSIGHTS_CONNECTION_STRING, level })
    : createJsonLinesTelemetry({ level });
}
