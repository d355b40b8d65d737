import type { HostJson } from './appLoader';
import { BlobOutputs } from './blobs/blobOutput';
import { ServiceBusBroker } from './broker/serviceBus';
import { DurableSubsystem } from './durable';
import { DURABILITIES, Durability } from './groupCommit';
import type { HostSubsystem } from './subsystem';
import { TimerTriggers } from './timers/timerTriggers';

/** Host settings from host.json, overridable by FACTORY_HOST_* environment variables. */
export interface HostSettings {
  routePrefix: string;
  maxRequestBodyBytes: number;
  /**
   * Body limit of anonymous routes (FACTORY_HOST_ANONYMOUS_MAX_BODY_BYTES, default 16 MiB: above the
   * factory's largest body, an 8 MiB artifact as base64). Anonymous callers cannot make the host
   * buffer more than this per request; routes that need a key get maxRequestBodyBytes.
   */
  anonymousMaxBodyBytes: number;
  /**
   * Bytes all anonymous requests together may be buffering at once
   * (FACTORY_HOST_ANONYMOUS_BODY_BUDGET_BYTES, default 24 MiB: two 8 MiB artifacts as base64);
   * a request whose body does not fit then gets 503 with Retry-After.
   */
  anonymousBodyBudgetBytes: number;
  hubName: string;
  maxConcurrentActivities: number;
  maxConcurrentOrchestrations: number;
  maxConcurrentMessages: number;
  /** FACTORY_HOST_DURABILITY (`--durability`): what an acknowledged write survives (see `Durability`). */
  durability: Durability;
}

function envNumber(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`Setting ${name} must be a positive number (got "${raw}").`);
  return value;
}

/** `process` unless FACTORY_HOST_DURABILITY (or `--durability`, given as `override`) says `fsync`. */
export function readDurability(override?: string): Durability {
  const raw = override ?? process.env.FACTORY_HOST_DURABILITY;
  if (raw === undefined || raw === '') return 'process';
  if (!(DURABILITIES as readonly string[]).includes(raw)) throw new Error(`Setting FACTORY_HOST_DURABILITY (--durability) must be one of ${DURABILITIES.join(', ')} (got "${raw}").`);
  return raw as Durability;
}

export function readHostSettings(hostJson: HostJson, durability?: string): HostSettings {
  const ext = hostJson.extensions ?? {};
  return {
    routePrefix: ext.http?.routePrefix ?? 'api',
    maxRequestBodyBytes: envNumber('FACTORY_HOST_MAX_BODY_BYTES', ext.http?.maxRequestBodySizeBytes ?? 100 * 1024 * 1024),
    anonymousMaxBodyBytes: envNumber('FACTORY_HOST_ANONYMOUS_MAX_BODY_BYTES', 16 * 1024 * 1024),
    anonymousBodyBudgetBytes: envNumber('FACTORY_HOST_ANONYMOUS_BODY_BUDGET_BYTES', 24 * 1024 * 1024),
    hubName: ext.durableTask?.hubName ?? 'TestHubName',
    maxConcurrentActivities: envNumber('FACTORY_HOST_MAX_ACTIVITIES', ext.durableTask?.maxConcurrentActivityFunctions ?? 16),
    maxConcurrentOrchestrations: envNumber('FACTORY_HOST_MAX_ORCHESTRATIONS', ext.durableTask?.maxConcurrentOrchestratorFunctions ?? 16),
    maxConcurrentMessages: envNumber('FACTORY_HOST_MAX_MESSAGES', ext.serviceBus?.maxConcurrentCalls ?? 16),
    durability: readDurability(durability),
  };
}

export function createSubsystems(settings: HostSettings): HostSubsystem[] {
  return [new BlobOutputs(), new DurableSubsystem(settings), new TimerTriggers(), new ServiceBusBroker(settings)];
}
