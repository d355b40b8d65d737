import type { HostJson } from '../appLoader';

/** How the broker delivers; environment variables override host.json and the defaults. */
export interface BrokerOptions {
  /** Handler invocations running at once, across all entities. */
  maxConcurrentCalls: number;
  /** Deliveries before a message is dead-lettered (Service Bus default: 10). */
  maxDeliveryCount: number;
  /** Back-off after the n-th failed delivery: retryBaseMs·2^(n-1), at most retryMaxMs. */
  retryBaseMs: number;
  retryMaxMs: number;
  /** How long a lock is reported to last (LockedUntil); locks of a dead host are released at start. */
  lockDurationMs: number;
  /** Messages handed to a `cardinality: 'many'` function at once. */
  maxBatchSize: number;
  /** A slow poll, in case a wake-up was missed. */
  safetyPollMs: number;
}

function envInteger(name: string, fallback: number, min = 1): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min) throw new Error(`Setting ${name} must be an integer >= ${min} (got "${raw}").`);
  return value;
}

export function readBrokerOptions(maxConcurrentCalls: number, hostJson: HostJson): BrokerOptions {
  const sb = (hostJson.extensions?.serviceBus ?? {}) as { maxDeliveryCount?: number; maxMessageBatchSize?: number };
  return {
    maxConcurrentCalls,
    maxDeliveryCount: envInteger('FACTORY_HOST_SB_MAX_DELIVERY_COUNT', sb.maxDeliveryCount ?? 10),
    retryBaseMs: envInteger('FACTORY_HOST_SB_RETRY_BASE_MS', 100, 0),
    retryMaxMs: envInteger('FACTORY_HOST_SB_RETRY_MAX_MS', 5000, 0),
    lockDurationMs: envInteger('FACTORY_HOST_SB_LOCK_DURATION_MS', 60_000),
    maxBatchSize: envInteger('FACTORY_HOST_SB_MAX_BATCH_SIZE', sb.maxMessageBatchSize ?? 100),
    safetyPollMs: 1000,
  };
}

/** The delay before a message that failed its `deliveryCount`-th delivery is visible again. */
export function backoffMs(options: BrokerOptions, deliveryCount: number): number {
  const exponent = Math.min(Math.max(deliveryCount - 1, 0), 30);
  return Math.min(options.retryBaseMs * 2 ** exponent, options.retryMaxMs);
}
