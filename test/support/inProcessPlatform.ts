import { AuditTrail } from '../../shared/audit/service';
import { EventOutbox } from '../../shared/platform/eventOutbox';
import type { HealthCheck, Messaging, OutgoingMessage } from '../../shared/platform/ports';
import { SqliteDocumentStore } from '../../shared/platform/store/sqliteDocumentStore';
import { createJsonLinesTelemetry } from '../../shared/platform/telemetry/jsonLinesTelemetry';

/** Records what the outbox publishes to the event topic (in-process tests run without a broker). */
export class RecordingMessaging implements Messaging {
  readonly published: OutgoingMessage[] = [];
  async send(): Promise<void> {}
  async publish(messages: OutgoingMessage | OutgoingMessage[]): Promise<void> {
    this.published.push(...(Array.isArray(messages) ? messages : [messages]));
  }
  async schedule(): Promise<string> {
    return '0';
  }
  async check(): Promise<HealthCheck> {
    return { name: 'messaging', adapter: 'recording', ok: true };
  }
  async close(): Promise<void> {}
  /** The event types published so far, in order. */
  types(): string[] {
    return this.published.map((message) => String(message.subject));
  }
}

/** The store, audit trail and outbox on a data dir, wired as the composition root wires them. */
export function inProcessPlatform(dataDir: string) {
  const store = SqliteDocumentStore.open(dataDir);
  const messaging = new RecordingMessaging();
  const audit = new AuditTrail(store);
  const outbox = new EventOutbox(store, audit, messaging, createJsonLinesTelemetry({ write: () => undefined }));
  return { store, messaging, audit, outbox };
}
