import { REDACTED, isSecretKey, redact, redactText } from '../../shared/platform/telemetry/redact';
import { createJsonLinesTelemetry } from '../../shared/platform/telemetry/jsonLinesTelemetry';
import { createAppInsightsTelemetry, type AppInsightsClient } from '../../shared/platform/telemetry/appInsightsTelemetry';

const apiKey = 'sf_acme.0123456789abcdef_' + 'ab'.repeat(24);
const jwt = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJhYmMiLCJyb2xlcyI6W119.c2lnbmF0dXJlLWJ5dGVz';

describe('redaction', () => {
  it('masks fields named like secrets, at any depth', () => {
    const out = redact({
      headers: { authorization: 'Bearer x', 'x-api-key': 'k', cookie: 'c' },
      config: { COSMOS_KEY: 'k', APPLICATIONINSIGHTS_CONNECTION_STRING: 'InstrumentationKey=1', clientSecret: 's', password: 'p', accessToken: 't' },
      list: [{ apiKey: 'k' }],
    });
    expect(JSON.stringify(out)).not.toMatch(/"(Bearer x|k|c|s|p|t|InstrumentationKey=1)"/);
    expect(out).toMatchObject({ headers: { authorization: REDACTED }, config: { COSMOS_KEY: REDACTED }, list: [{ apiKey: REDACTED }] });
  });

  it('keeps fields that only look related', () => {
    expect(isSecretKey('keyId')).toBe(false);
    expect(isSecretKey('promptTokens')).toBe(false);
    expect(redact({ keyId: 'acme.01', promptTokens: 12 })).toEqual({ keyId: 'acme.01', promptTokens: 12 });
  });

  it('masks API keys, JWTs and connection-string secrets inside any string value', () => {
    const text = `key ${apiKey} and token ${jwt}; AccountKey=abc123==;EndpointSuffix=core`;
    const out = redactText(text);
    expect(out).not.toContain(apiKey);
    expect(out).not.toContain(jwt);
    expect(out).not.toContain('abc123');
    expect(out).toContain('EndpointSuffix=core');
    expect(redact({ note: `Bearer ${apiKey}` })).toEqual({ note: `Bearer ${REDACTED}` });
  });

  it('redacts errors, including their message and stack, and survives cycles', () => {
    const error = new Error(`rejected ${apiKey}`);
    const cyclic: Record<string, unknown> = { error };
    cyclic.self = cyclic;
    const text = JSON.stringify(redact(cyclic));
    expect(text).not.toContain(apiKey);
    expect(text).toContain('[Circular]');
  });
});

describe('JSON-lines telemetry', () => {
  it('writes one JSON object per line, redacted, at or above its level', () => {
    const lines: string[] = [];
    const telemetry = createJsonLinesTelemetry({ level: 'info', write: (line) => lines.push(line) }).child({ traceId: 't1' });
    telemetry.log('debug', 'dropped');
    telemetry.log('info', `called with ${apiKey}`, { authorization: `Bearer ${jwt}`, tenantId: 'acme' });
    telemetry.trackException(new Error(`failed for ${jwt}`));
    expect(lines).toHaveLength(2);
    expect(lines.every((line) => line.endsWith('\n'))).toBe(true);
    const all = lines.join('');
    expect(all).not.toContain(apiKey);
    expect(all).not.toContain(jwt);
    expect(JSON.parse(lines[0])).toMatchObject({ level: 'info', traceId: 't1', tenantId: 'acme', authorization: REDACTED });
    expect(JSON.parse(lines[1])).toMatchObject({ level: 'error', error: { name: 'Error' } });
  });

  it('reports spans in the caller trace with their duration', () => {
    const lines: string[] = [];
    const telemetry = createJsonLinesTelemetry({ write: (line) => lines.push(line) });
    const span = telemetry.startSpan('work', { traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01' });
    span.end({ ok: false });
    span.end();
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0])).toMatchObject({ level: 'warn', span: 'work', traceId: '4bf92f3577b34da6a3ce929d0e0e4736', parentSpanId: '00f067aa0ba902b7', ok: false, durationMs: expect.any(Number) });
    expect(span.traceparent).toMatch(/^00-4bf92f3577b34da6a3ce929d0e0e4736-[0-9a-f]{16}-01$/);
  });
});

describe('JSON-lines format', () => {
  it('writes each line exactly as { time, level, message, ...redact({ ...base, ...fields }) }, keys in that order', () => {
    const lines: string[] = [];
    const base = { service: 'factory', traceId: 'base-trace', secretToken: 'x' };
    const telemetry = createJsonLinesTelemetry({ write: (line) => lines.push(line), fields: base }).child({ tenantId: 'acme' });
    const nested = { password: 'p', list: [1, `Bearer ${jwt}`], when: new Date(0) };
    const fields = { traceId: 'override', level: 'shadowed', nested, again: nested, nothing: undefined, n: 1 };
    telemetry.log('info', `hello ${apiKey}`, fields);
    const span = telemetry.startSpan('op', { fields: { operationId: 'getX', traceId: 'field-trace' } });
    span.end({ fields: { status: 200 } });
    expect(lines).toHaveLength(2);
    const [log, spanLine] = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
    const merged = { ...base, tenantId: 'acme' };
    expect(lines[0]).toBe(`${JSON.stringify({ time: log.time, level: 'info', message: `hello ${REDACTED}`, ...(redact({ ...merged, ...fields }) as object) })}\n`);
    const spanRecord = { span: 'op', traceId: span.traceId, spanId: span.spanId, parentSpanId: undefined, durationMs: spanLine.durationMs, ok: true };
    const spanFields = { operationId: 'getX', traceId: 'field-trace', status: 200 };
    const expectedSpan = { time: spanLine.time, level: 'info', message: 'span', ...(redact({ ...merged, ...spanRecord, ...spanFields }) as object) };
    expect(lines[1]).toBe(`${JSON.stringify(expectedSpan)}\n`);
    expect(log.time).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
  });
});

describe('Application Insights telemetry', () => {
  it('sends redacted, string-valued properties to the client', () => {
    const sent: unknown[] = [];
    const client: AppInsightsClient = {
      trackTrace: (t) => void sent.push(t),
      trackEvent: (t) => void sent.push(t),
      trackException: (t) => void sent.push(t),
      trackDependency: (t) => void sent.push(t),
      flush: async () => undefined,
    };
    const telemetry = createAppInsightsTelemetry({ connectionString: 'InstrumentationKey=x', client });
    telemetry.log('warn', `saw ${apiKey}`, { token: 'abc', count: 3 });
    telemetry.trackEvent('KeyCreated', { secret: 's', name: 'ci' });
    telemetry.trackException(new Error(`bad ${jwt}`));
    const text = JSON.stringify(sent);
    expect(text).not.toContain(apiKey);
    expect(text).not.toContain(jwt);
    expect(sent[0]).toMatchObject({ severity: 'Warning', properties: { token: REDACTED, count: '3' } });
    expect(sent[1]).toMatchObject({ name: 'KeyCreated', properties: { secret: REDACTED, name: 'ci' } });
    const { exception } = sent[2] as { exception: Error };
    expect(exception.message).toBe(`bad ${REDACTED}`);
    expect(exception.stack).not.toContain(jwt);
  });
});
