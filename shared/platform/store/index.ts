export { CosmosDocumentStore, toPartitionKeyDefinition, toStoreError, type CosmosDocumentStoreOptions } from './cosmosDocumentStore';
export { fromCosmosDocument } from './documentBody';
export { commitWithEvents, OutboxDispatcher, toOutboxDocument, withOutbox, type OutboxDispatcherOptions } from './outbox';
export type { OutboxDocument, OutboxEvent, OutboxSource, PendingOutboxDocument } from './outboxDocument';
export { isHierarchical, StoreRequestError, toPartitionValues, type PartitionValues } from './partition';
export { PLATFORM_PARTITION, ProcessedEvents, type ProcessedEventDocument, type ProcessedEventsOptions } from './processedEvents';
export { SqliteDocumentStore } from './sqliteDocumentStore';
