/** `src/config.ts` of a generated service: configuration from the environment, checked at start. */
export function configTs(defaultProjectId: string): string {
  return `/** The service's configuration, read from the environment once at start. */
export interface Config {
  /** HOST: the interface to bind; 127.0.0.1 unless set (0.0.0.0 in a container). */
  host: string;
  /** PORT: 8080 unless set; 0 picks a free port. */
  port: number;
  /** EVENTS_ENDPOINT: an http(s) URL emitted CloudEvents are POSTed to; unset keeps them in the outbox. */
  eventsEndpoint?: URL;
  /** TENANT_ID ('local' unless set) and PROJECT_ID (the blueprint's name unless set): the events' tenantid and projectid. */
  tenantId: string;
  projectId: string;
  /** EVENT_SOURCE: the CloudEvents source of emitted events, /tenants/{TENANT_ID}/projects/{PROJECT_ID} unless set. */
  eventSource: string;
  /** SHUTDOWN_TIMEOUT_MS: how long SIGTERM waits for requests in flight. */
  shutdownTimeoutMs: number;
  /** OUTBOX_RETRY_MS: how often undelivered events are retried. */
  outboxRetryMs: number;
}

/** Thrown by \`loadConfig\` with every problem found. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super('Invalid configuration: ' + problems.join('; '));
    this.name = 'ConfigError';
  }
}

function integer(env: Record<string, string | undefined>, name: string, fallback: number, min: number, max: number, problems: string[]): number {
  const text = env[name];
  if (text === undefined || text === '') return fallback;
  const value = Number(text);
  if (!/^[0-9]+$/.test(text) || value < min || value > max) {
    problems.push(name + ' must be an integer from ' + min + ' to ' + max + ', got ' + JSON.stringify(text));
    return fallback;
  }
  return value;
}

function endpoint(text: string | undefined, problems: string[]): URL | undefined {
  if (text === undefined || text === '') return undefined;
  try {
    const url = new URL(text);
    if (url.protocol === 'http:' || url.protocol === 'https:') return url;
  } catch {
    // reported below
  }
  problems.push('EVENTS_ENDPOINT must be an http or https URL, got ' + JSON.stringify(text));
  return undefined;
}

/** Reads and checks the configuration; throws \`ConfigError\` naming every bad variable. */
export function loadConfig(env: Record<string, string | undefined>): Config {
  const problems: string[] = [];
  const tenantId = env.TENANT_ID || 'local';
  const projectId = env.PROJECT_ID || ${JSON.stringify(defaultProjectId).replace(/"/g, "'")};
  const config: Config = {
    host: env.HOST || '127.0.0.1',
    port: integer(env, 'PORT', 8080, 0, 65535, problems),
    tenantId,
    projectId,
    eventSource: env.EVENT_SOURCE || '/tenants/' + tenantId + '/projects/' + projectId,
    shutdownTimeoutMs: integer(env, 'SHUTDOWN_TIMEOUT_MS', 10000, 0, 600000, problems),
    outboxRetryMs: integer(env, 'OUTBOX_RETRY_MS', 5000, 10, 3600000, problems),
  };
  const eventsEndpoint = endpoint(env.EVENTS_ENDPOINT, problems);
  if (eventsEndpoint) config.eventsEndpoint = eventsEndpoint;
  if (problems.length > 0) throw new ConfigError(problems);
  return config;
}
`;
}
