import { randomUUID } from 'node:crypto';
import type { OutgoingMessage } from '../ports';

/**
 * A message as both transports take it: the fields of `ServiceBusMessage` (`@azure/service-bus`)
 * that the factory uses, which are also those of the local broker's `BrokerMessage`.
 */
export interface WireMessage {
  body: unknown;
  messageId: string;
  subject?: string;
  correlationId?: string;
  contentType?: string;
  applicationProperties?: Record<string, string | number | boolean>;
}

/**
 * Maps a port message to the wire. A missing `messageId` gets a fresh one (the outbox supplies
 * stable ids where duplicate detection matters); a structured body without a content type is
 * marked `application/json`; application properties are copied as they are.
 */
export function toWireMessage(message: OutgoingMessage): WireMessage {
  const wire: WireMessage = { body: message.body, messageId: message.messageId ?? randomUUID() };
  const contentType = message.contentType ?? (isStructured(message.body) ? 'application/json' : undefined);
  if (contentType !== undefined) wire.contentType = contentType;
  if (message.subject !== undefined) wire.subject = message.subject;
  if (message.correlationId !== undefined) wire.correlationId = message.correlationId;
  if (message.applicationProperties) wire.applicationProperties = { ...message.applicationProperties };
  return wire;
}

/** Both shapes the port accepts, as a list. */
export function toMessageList(messages: OutgoingMessage | OutgoingMessage[]): OutgoingMessage[] {
  return Array.isArray(messages) ? messages : [messages];
}

function isStructured(body: unknown): boolean {
  return body !== null && body !== undefined && typeof body === 'object' && !Buffer.isBuffer(body);
}
