import type { TokenCredential } from '@azure/identity';
import type { TelemetryClient } from 'applicationinsights';
import { redact, redactText } from './redact';
import { createSpan } from './span';
import { isEnabled, type LogFields, type LogLevel, type Telemetry } from './telemetry';

/** The part of the Application Insights `TelemetryClient` this adapter uses. */
export type AppInsightsClient = Pick<TelemetryClient, 'trackTrace' | 'trackEvent' | 'trackException' | 'trackDependency' | 'flush'>;

const SEVERITY: Record<LogLevel, 'Verbose' | 'Information' | 'Warning' | 'Error'> = {
  debug: 'Verbose',
  info: 'Information',
  warn: 'Warning',
  error: 'Error',
};

/** Options of the Application Insights adapter. */
export interface AppInsightsOptions {
  connectionString: string;
  level?: LogLevel;
  /** A ready client (tests); by default `new TelemetryClient(connectionString)`, which runs `useAzureMonitor`. */
  client?: AppInsightsClient;
  /**
   * Entra ID credential of the exporter (the managed identity in Azure, where the resource has local
   * auth off and the identity holds Monitoring Metrics Publisher); without it the connection string's
   * instrumentation key alone authenticates, which only a resource with local auth on accepts.
   */
  credential?: TokenCredential;
  fields?: LogFields;
}

/**
 * Telemetry sent to Application Insights through the `applicationinsights` v3 (Azure Monitor
 * OpenTelemetry) client: logs as traces, spans as in-process dependencies. Properties are redacted
 * and flattened to strings.
 */
export function createAppInsightsTelemetry(options: AppInsightsOptions): Telemetry {
  const client = options.client ?? newAppInsightsClient(options.connectionString, options.credential);
  return adapter(client, options.level ?? 'info', options.fields ?? {});
}

/**
 * A `TelemetryClient` for the connection string whose exporter authenticates with `credential` (the v3
 * shim hands `config.aadTokenCredential` to the Azure Monitor exporter as
 * `azureMonitorExporterOptions.credential`). `start: false` leaves it uninitialized (tests).
 */
export function newAppInsightsClient(connectionString: string, credential: TokenCredential | undefined, start = true): TelemetryClient {
  // Loaded on demand so the JSON-lines path never pays for the OpenTelemetry SDK.
  const { TelemetryClient: Client } = require('applicationinsights') as typeof import('applicationinsights');
  const client = new Client(connectionString);
  if (credential) client.config.aadTokenCredential = credential;
  if (start) client.initialize();
  return client;
}

function adapter(client: AppInsightsClient, minimum: LogLevel, base: LogFields): Telemetry {
  const props = (fields: LogFields = {}) => toProperties({ ...base, ...fields });
  return {
    log(level, message, fields) {
      if (isEnabled(level, minimum)) client.trackTrace({ message: redactText(message), severity: SEVERITY[level], properties: props(fields) });
    },
    trackEvent: (name, properties) => client.trackEvent({ name, properties: props(properties) }),
    trackException(error, fields) {
      const safe = redact(error instanceof Error ? error : new Error(String(error))) as { name: string; message: string; stack?: string };
      const exception = Object.assign(new Error(safe.message), { name: safe.name, stack: safe.stack });
      client.trackException({ exception, properties: props(fields) });
    },
    startSpan: (name, spanOptions = {}) =>
      createSpan(name, spanOptions, (span) =>
        client.trackDependency({
          name: span.name,
          dependencyTypeName: 'InProc',
          data: span.name,
          duration: span.durationMs,
          success: span.ok,
          resultCode: span.ok ? 0 : 1,
          time: span.startTime,
          properties: props({ traceId: span.traceId, spanId: span.spanId, parentSpanId: span.parentSpanId, ...span.fields }),
        }),
      ),
    child: (fields) => adapter(client, minimum, { ...base, ...fields }),
    flush: async () => {
      await client.flush();
    },
  };
}

function toProperties(fields: LogFields): Record<string, string> {
  const safe = redact(fields) as Record<string, unknown>;
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(safe)) {
    if (value !== undefined) out[key] = typeof value === 'string' ? value : JSON.stringify(value);
  }
  return out;
}
