export { EmbeddedMessaging, LocalBrokerUnavailable } from './embeddedMessaging';
export { MessageTooLarge, ServiceBusMessaging } from './serviceBusMessaging';
export type { MessageBatchLike, ServiceBusClientLike, ServiceBusSenderLike } from './serviceBusBoundary';
export { toWireMessage, type WireMessage } from './wireMessage';
