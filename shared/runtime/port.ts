import { createHash } from 'node:crypto';
import { canonicalJson } from '../platform/canonicalJson';

/** Where an environment lives: one tenant's project's `dev`, `staging` or `production`. */
export interface EnvironmentRef {
  tenantId: string;
  projectId: string;
  environment: string;
}

/** How the local provider gets a module's code: a folder of the project repository at a commit. */
export interface RepositorySource {
  gitdir: string;
  commit: string;
  folder: string;
}

/** One module as an environment should run it. */
export interface ModuleDeployment {
  module: string;
  kind: string;
  /** `<commit 12>+<artifact hash 12>`: changes with the code. */
  version: string;
  commit: string;
  /** Tree id of the module's folder at `commit` (sha1 hex): the artifact's content hash. */
  artifactHash: string;
  replicas: number;
  /** The environment's configuration bindings (plain values), given to the service as environment variables. */
  config: Record<string, string>;
  /** Secret bindings: variable name → resolved value (never stored; only the names are hashed). */
  secrets: Record<string, string>;
  /** Local provider: the code to check out, build and start. */
  source?: RepositorySource;
  /** Azure provider: the image the pipeline pushed (`registry/name:tag`). */
  image?: string;
  /** The W3C trace id of the release: services log it with their first request. */
  traceId?: string;
}

/** The desired state of one environment: a release's modules with the environment's bindings. */
export interface DesiredEnvironment extends EnvironmentRef {
  releaseId: string;
  modules: ModuleDeployment[];
}

/** One running replica as the provider sees it. */
export interface LiveReplica {
  id: string;
  pid?: number;
  port?: number;
  url?: string;
  ready: boolean;
  /** The version and configuration hash this replica really runs (a replica changed by hand differs). */
  version?: string;
  configHash?: string;
  /** Why this replica must be replaced although its version and configuration match (e.g. `broker endpoint changed`). */
  stale?: string;
}

/** One module as it runs, observed by the provider (never taken from the desired state). */
export interface LiveModule {
  module: string;
  version?: string;
  releaseId?: string;
  configHash?: string;
  replicas: LiveReplica[];
  /** Where the service answers (first ready replica, or the app's ingress). */
  endpoint?: string;
}

export interface ModuleApplyOutcome {
  module: string;
  status: 'unchanged' | 'updated' | 'failed';
  replicas: LiveReplica[];
  /** Why it failed: exit code, the setting the service named, the last log lines. */
  reason?: string;
  /** Where an update's time went (ms): getting the build (checkout and compile, 0 when cached) and starting replicas until ready. */
  timings?: { buildMs: number; readyMs: number };
}

/**
 * A runtime provider runs modules of releases in environments and reports what really runs.
 * `apply` converges an environment on a desired state: unchanged replicas stay, changed modules get
 * new replicas started first and the old ones stopped only when every new one is ready (a module
 * whose new replicas never get ready keeps its old ones and reports `failed`), modules not desired
 * any more are stopped. Calling it again with the same state changes nothing (activities run at
 * least once). `live` reads the provider's actual state.
 */
export interface RuntimeProvider {
  readonly name: 'local' | 'azure';
  apply(desired: DesiredEnvironment, options?: { readyTimeoutMs?: number }): Promise<ModuleApplyOutcome[]>;
  live(environment: EnvironmentRef): Promise<LiveModule[]>;
  /** Optional: gets modules of a project ready to start before any release needs them (local: builds them); settles when done. */
  prepare?(project: { tenantId: string; projectId: string }, modules: { source: RepositorySource; artifactHash: string }[]): Promise<void>;
  /** Stops everything running in the environment; returns how many replicas were stopped. */
  teardown(environment: EnvironmentRef): Promise<number>;
}

/** sha256 (hex, first 16) of the configuration values and the secret names: what a config drift changes. */
export function configHashOf(config: Record<string, string>, secretNames: readonly string[]): string {
  return createHash('sha256').update(canonicalJson({ config, secrets: [...secretNames].sort() })).digest('hex').slice(0, 16);
}
