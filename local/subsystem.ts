import type { FunctionRegistry } from './core/coreApi';
import type { InputBindingProvider, Invoker, OutputBindingSink } from './core/invoker';
import type { Db } from './db';
import type { CommitBarrier } from './groupCommit';
import type { InternalRoute } from './http/server';
import type { HostLogger } from './logger';
import type { HostJson } from './appLoader';
import type { HostKeys } from './security/hostKeys';

/** What every part of the local host is given when the host starts. */
export interface HostContext {
  registry: FunctionRegistry;
  invoker: Invoker;
  db: Db;
  /** What acknowledgements of writes to `db` wait on (the host's durability mode). */
  commits: CommitBarrier;
  dataDir: string;
  hostJson: HostJson;
  logger: HostLogger;
  /** The origin the host answers on, e.g. http://localhost:7071. */
  origin: string;
  /** The host's keys; URLs the host hands out carry the one their routes need. */
  keys: HostKeys;
}

/**
 * One capability of the host (durable, broker, timers, blobs): the bindings it serves, the
 * routes it answers and its background work.
 */
export interface HostSubsystem {
  /** Binding types (lower case) this part implements; anything else is reported once at start. */
  readonly bindingTypes: string[];
  inputProviders?(): Record<string, InputBindingProvider>;
  outputSinks?(): Record<string, OutputBindingSink>;
  /** Creates tables; runs before start. */
  migrate?(db: Db): void;
  start(context: HostContext): Promise<void> | void;
  routes?(): InternalRoute[];
  stop(): Promise<void> | void;
}
