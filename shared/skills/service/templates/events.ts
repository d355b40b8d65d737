/** `src/events.ts` of a generated service: CloudEvents 1.0 envelopes, publishers and the outbox. */
export const EVENTS_TS = `import { randomBytes, randomUUID } from 'node:crypto';
import http from 'node:http';
import https from 'node:https';

/** A CloudEvents 1.0 event in structured JSON form, with the factory's trace and tenancy extensions. */
export interface CloudEvent<T = unknown> {
  specversion: '1.0';
  id: string;
  source: string;
  type: string;
  subject?: string;
  time: string;
  datacontenttype: 'application/json';
  traceid: string;
  tenantid: string;
  projectid: string;
  data: T;
}

/** Who publishes: \`source\` is \`/tenants/{tenantId}/projects/{projectId}\` unless configured otherwise. */
export interface EventOrigin {
  source: string;
  tenantId: string;
  projectId: string;
}

const TRACE_ID = /^[0-9a-f]{32}$/;

/** The trace id of a W3C \`traceparent\` header, or a new one. */
export function traceIdOf(traceparent: string | undefined): string {
  const traceId = traceparent?.split('-')[1];
  return traceId && TRACE_ID.test(traceId) && !/^0+$/.test(traceId) ? traceId : randomBytes(16).toString('hex');
}

/** Where events go. Implementations throw when the event was not accepted. */
export interface EventPublisher {
  publish(event: CloudEvent): Promise<void>;
}

export function toCloudEvent<T>(origin: EventOrigin, type: string, subject: string, data: T, traceId: string): CloudEvent<T> {
  return {
    specversion: '1.0',
    id: randomUUID(),
    source: origin.source,
    type,
    subject,
    time: new Date().toISOString(),
    datacontenttype: 'application/json',
    traceid: traceId,
    tenantid: origin.tenantId,
    projectid: origin.projectId,
    data,
  };
}

/** Posts each event to an HTTP endpoint in structured mode (\`application/cloudevents+json\`). */
export class HttpEventPublisher implements EventPublisher {
  constructor(
    private readonly endpoint: URL,
    private readonly timeoutMs = 5000,
  ) {}

  publish(event: CloudEvent): Promise<void> {
    const body = JSON.stringify(event);
    const transport = this.endpoint.protocol === 'https:' ? https : http;
    return new Promise<void>((resolve, reject) => {
      const request = transport.request(
        this.endpoint,
        { method: 'POST', timeout: this.timeoutMs, headers: { 'content-type': 'application/cloudevents+json; charset=utf-8', 'content-length': Buffer.byteLength(body) } },
        (response) => {
          response.resume();
          const status = response.statusCode ?? 0;
          if (status >= 200 && status < 300) resolve();
          else reject(new Error('The event endpoint answered ' + status + ' for ' + event.type + ' ' + event.id));
        },
      );
      request.on('timeout', () => request.destroy(new Error('The event endpoint did not answer within ' + this.timeoutMs + ' ms')));
      request.on('error', reject);
      request.end(body);
    });
  }
}

/**
 * The outbox: every event is kept here first and then handed, in order, to the downstream
 * publisher (HTTP when \`EVENTS_ENDPOINT\` is set). An event the downstream refuses stays pending and
 * is retried on the next publish, on \`flush()\` and at shutdown, so a failing broker never fails the
 * request that changed the entity. Without a downstream, events are delivered to \`published\` only.
 */
export class Outbox implements EventPublisher {
  readonly pending: CloudEvent[] = [];
  readonly published: CloudEvent[] = [];
  private delivery: Promise<void> = Promise.resolve();

  constructor(private readonly downstream?: EventPublisher) {}

  async publish(event: CloudEvent): Promise<void> {
    this.pending.push(event);
    await this.flush();
  }

  /** Delivers pending events in order until one fails; resolves when done either way. */
  flush(): Promise<void> {
    this.delivery = this.delivery.then(() => this.deliver());
    return this.delivery;
  }

  private async deliver(): Promise<void> {
    while (this.pending.length > 0) {
      const event = this.pending[0];
      try {
        if (this.downstream) await this.downstream.publish(event);
      } catch (error) {
        console.error(JSON.stringify({ level: 'warn', message: 'event delivery failed; it stays in the outbox', type: event.type, id: event.id, error: String(error) }));
        return;
      }
      this.pending.shift();
      this.published.push(event);
    }
  }
}

/** Consumed events received over HTTP, each (source, id) once. */
export class Inbox {
  readonly received: CloudEvent[] = [];
  private readonly seen = new Set<string>();

  /** Records an event; false when it was already received (a redelivery). */
  accept(event: CloudEvent): boolean {
    const key = event.source + '\\n' + event.id;
    if (this.seen.has(key)) return false;
    this.seen.add(key);
    this.received.push(event);
    return true;
  }
}
`;
