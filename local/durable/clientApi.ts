import { randomUUID } from 'node:crypto';
import { newTraceParent } from '../core/invoker';
import type { FunctionRegistry } from '../core/coreApi';
import { HostRequest, HostResponse, internalRoute, InternalRoute, problem } from '../http/server';
import { KEYED_WEBHOOK_PREFIX } from '../security/access';
import { parse, toFriendlyHistory } from './history';
import { instanceIdProblem } from './instanceIds';
import type { HistoryCache } from './historyCache';
import { DurableStore, InboxMessage, InstanceRow, TERMINAL } from './store';

export const WEBHOOK_BASE = 'runtime/webhooks/durabletask';

/** The slice of the host the client API drives. */
export interface ClientApiDeps {
  store: DurableStore;
  registry: FunctionRegistry;
  cache: HistoryCache;
  hubName: string;
  /** The Durable extension's system key: every URL handed out carries it. */
  systemKey: string;
  wake(instanceId: string): void;
}

const queryString = (hubName: string, systemKey: string) => `taskHub=${encodeURIComponent(hubName)}&connection=Storage&code=${encodeURIComponent(systemKey)}`;

/** Management URLs as the extension hands them out (`createCheckStatusResponse`), with the system key as `code`. */
export function managementUrls(origin: string, hubName: string, systemKey: string, instanceId: string) {
  const base = `${origin}/${WEBHOOK_BASE}`;
  const qs = queryString(hubName, systemKey);
  const id = encodeURIComponent(instanceId);
  return {
    id: instanceId,
    statusQueryGetUri: `${base}/instances/${id}?${qs}`,
    sendEventPostUri: `${base}/instances/${id}/raiseEvent/{eventName}?${qs}`,
    terminatePostUri: `${base}/instances/${id}/terminate?reason={text}&${qs}`,
    rewindPostUri: `${base}/instances/${id}/rewind?reason={text}&${qs}`,
    purgeHistoryDeleteUri: `${base}/instances/${id}?${qs}`,
    restartPostUri: `${base}/instances/${id}/restart?${qs}`,
    suspendPostUri: `${base}/instances/${id}/suspend?reason={text}&${qs}`,
    resumePostUri: `${base}/instances/${id}/resume?reason={text}&${qs}`,
  };
}

/**
 * The value of a `durableClient` input binding, as the extension provides it. Every URL carries the
 * system key: as `code=` where the client appends paths to a query string, and as a path segment in
 * `rpcBaseUrl`, which the client resolves relative URLs against (dropping any query).
 */
export function clientBindingData(origin: string, hubName: string, systemKey: string) {
  const base = `${origin}/${WEBHOOK_BASE}`;
  const qs = queryString(hubName, systemKey);
  const code = `code=${encodeURIComponent(systemKey)}`;
  return {
    taskHubName: hubName,
    creationUrls: {
      createNewInstancePostUri: `${base}/orchestrators/{functionName}[/{instanceId}]?${code}`,
      createAndWaitOnNewInstancePostUri: `${base}/orchestrators/{functionName}[/{instanceId}]?timeout={timeoutInSeconds}&pollingInterval={intervalInSeconds}&${code}`,
    },
    managementUrls: managementUrls(origin, hubName, systemKey, 'INSTANCEID'),
    baseUrl: base,
    requiredQueryStringParameters: qs,
    rpcBaseUrl: `${origin}${KEYED_WEBHOOK_PREFIX}${encodeURIComponent(systemKey)}/`,
    httpBaseUrl: base,
  };
}

function toStatus(row: InstanceRow, opts: { showInput: boolean; history?: Record<string, unknown>[] }) {
  return {
    name: row.name,
    instanceId: row.instanceId,
    createdTime: row.createdAt,
    lastUpdatedTime: row.updatedAt,
    ...(opts.showInput ? { input: parse(row.input) } : {}),
    output: parse(row.output),
    runtimeStatus: row.status,
    customStatus: parse(row.customStatus),
    ...(opts.history ? { historyEvents: opts.history, history: opts.history } : {}),
  };
}

/** A date-time query parameter as an ISO string (the store's format), or undefined when absent or invalid. */
function isoParam(value: string | null): string | undefined {
  if (value === null || value.trim() === '') return undefined;
  const at = new Date(value);
  return Number.isNaN(at.getTime()) ? undefined : at.toISOString();
}

const flag = (v: string | null) => v !== null && v.toLowerCase() === 'true';

/** Routes of the durable HTTP API: the client's `rpcBaseUrl` calls and the management webhooks. */
export function durableClientRoutes(deps: ClientApiDeps, origin: () => string): InternalRoute[] {
  const { store } = deps;

  const start = (req: HostRequest): HostResponse => {
    const name = req.params.functionName;
    const fn = deps.registry.get(name);
    if (!fn || fn.trigger.type.toLowerCase() !== 'orchestrationtrigger') {
      return problem(400, 'Bad Request', `The function '${name}' doesn't exist, is disabled, or is not an orchestrator function.`);
    }
    const instanceId = req.params.instanceId || randomUUID().replace(/-/g, '');
    const invalid = instanceIdProblem(instanceId);
    if (invalid) return problem(400, 'Bad Request', invalid);
    const text = req.body.toString('utf8').trim();
    if (text !== '') {
      try {
        JSON.parse(text);
      } catch {
        return problem(400, 'Bad Request', 'The orchestration input must be JSON.');
      }
    }
    const now = new Date().toISOString();
    const traceParent = typeof req.headers.traceparent === 'string' ? req.headers.traceparent : newTraceParent();
    const created = store.createInstance(
      {
        instanceId,
        name: fn.metadata.name,
        executionId: randomUUID().replace(/-/g, ''),
        status: 'Pending',
        input: text === '' ? null : text,
        output: null,
        customStatus: null,
        createdAt: now,
        updatedAt: now,
        parentInstanceId: null,
        parentSeq: null,
        parentExecutionId: null,
        traceParent,
        nextSeq: 0,
        actionSeqs: [],
        retries: {},
      },
      Date.now(),
    );
    if (!created) return problem(409, 'Conflict', `An orchestration with instance ID '${instanceId}' already exists and is not in a terminal state.`);
    deps.cache.drop(instanceId);
    deps.wake(instanceId);
    const urls = managementUrls(origin(), deps.hubName, deps.systemKey, instanceId);
    return { status: 202, headers: { location: urls.statusQueryGetUri, 'retry-after': '1' }, body: urls };
  };

  const status = (req: HostRequest): HostResponse => {
    const row = store.getInstance(req.params.instanceId);
    if (!row) return { status: 404, body: { message: `No instance with ID '${req.params.instanceId}' was found.` } };
    const q = req.url.searchParams;
    const history = flag(q.get('showHistory')) ? toFriendlyHistory(store.history(row.instanceId), flag(q.get('showHistoryOutput'))) : undefined;
    const body = toStatus(row, { showInput: q.get('showInput')?.toLowerCase() !== 'false', history });
    if (row.status === 'Failed' && flag(q.get('returnInternalServerErrorOnFailure'))) return { status: 500, body };
    if (TERMINAL.has(row.status)) return { status: 200, body };
    return { status: 202, headers: { location: managementUrls(origin(), deps.hubName, deps.systemKey, row.instanceId).statusQueryGetUri, 'retry-after': '1' }, body };
  };

  const list = (req: HostRequest): HostResponse => {
    const q = req.url.searchParams;
    const top = Math.min(Math.max(Number(q.get('top') ?? 100) || 100, 1), 1000);
    const token = req.headers['x-ms-continuation-token'];
    let after;
    if (typeof token === 'string' && token && token !== 'null') {
      try {
        after = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
      } catch {
        return problem(400, 'Bad Request', 'The continuation token is not valid.');
      }
    }
    const rows = store.list({
      createdFrom: q.get('createdTimeFrom') ?? undefined,
      createdTo: q.get('createdTimeTo') ?? undefined,
      statuses: q.get('runtimeStatus')?.split(',').filter(Boolean),
      instanceIdPrefix: q.get('instanceIdPrefix') ?? undefined,
      top: top + 1,
      after,
    });
    const page = rows.slice(0, top);
    const headers: Record<string, string> = {};
    if (rows.length > top) {
      const last = page[page.length - 1];
      headers['x-ms-continuation-token'] = Buffer.from(JSON.stringify({ createdAt: last.createdAt, instanceId: last.instanceId })).toString('base64url');
    }
    const showInput = q.get('showInput')?.toLowerCase() !== 'false';
    return { status: 200, headers, body: page.map((r) => toStatus(r, { showInput })) };
  };

  const control = (kind: 'terminate' | 'suspend' | 'resume') => (req: HostRequest): HostResponse => {
    const row = store.getInstance(req.params.instanceId);
    if (!row) return { status: 404, body: { message: `No instance with ID '${req.params.instanceId}' was found.` } };
    if (TERMINAL.has(row.status)) return { status: 410, body: { message: `The instance is ${row.status}.` } };
    const reason = req.url.searchParams.get('reason') ?? '';
    const message: InboxMessage = { kind, reason };
    store.enqueue([{ instanceId: row.instanceId, executionId: null, visibleAt: Date.now(), message }]);
    deps.wake(row.instanceId);
    return { status: 202 };
  };

  const raise = (req: HostRequest): HostResponse => {
    const row = store.getInstance(req.params.instanceId);
    if (!row) return { status: 404, body: { message: `No instance with ID '${req.params.instanceId}' was found.` } };
    if (TERMINAL.has(row.status)) return { status: 410, body: { message: `The instance is ${row.status}.` } };
    const text = req.body.toString('utf8').trim();
    if (text !== '') {
      try {
        JSON.parse(text);
      } catch {
        return problem(400, 'Bad Request', 'The event data must be JSON.');
      }
    }
    const event = { EventType: 15, EventId: -1, IsPlayed: false, Timestamp: new Date().toISOString(), Name: req.params.eventName, Input: text === '' ? null : text };
    store.enqueue([{ instanceId: row.instanceId, executionId: null, visibleAt: Date.now(), message: { kind: 'event', event } }]);
    deps.wake(row.instanceId);
    return { status: 202 };
  };

  const purgeOne = (req: HostRequest): HostResponse => {
    const row = store.getInstance(req.params.instanceId);
    if (!row || !TERMINAL.has(row.status)) {
      return { status: 404, body: { message: row ? 'Only completed, failed or terminated instances can be purged.' : 'Instance not found.' } };
    }
    store.purge(row.instanceId);
    deps.cache.drop(row.instanceId);
    return { status: 200, body: { instancesDeleted: 1 } };
  };

  /**
   * Purge by filter, as the extension's HTTP API does it: `createdTimeFrom` is required (400
   * without it), `createdTimeTo` defaults to now, and only instances that match every filter AND
   * are Completed, Failed or Terminated are purged; a `runtimeStatus` naming only other statuses
   * purges nothing (Azure Storage drops non-terminal statuses from the filter). 404 when none matched.
   */
  const purgeMany = (req: HostRequest): HostResponse => {
    const q = req.url.searchParams;
    const from = isoParam(q.get('createdTimeFrom'));
    if (!from) return problem(400, 'Bad Request', "Please provide value for 'createdTimeFrom' parameter.");
    const to = q.get('createdTimeTo') === null ? new Date().toISOString() : isoParam(q.get('createdTimeTo'));
    if (!to) return problem(400, 'Bad Request', "The 'createdTimeTo' parameter must be a date and time.");
    const requested = q.get('runtimeStatus')?.split(',').map((s) => s.trim()).filter(Boolean);
    const statuses = (requested?.length ? requested : [...TERMINAL]).filter((s) => TERMINAL.has(s as never));
    if (statuses.length === 0) return { status: 404, body: { instancesDeleted: 0 } };
    let deleted = 0;
    for (;;) {
      const rows = store.list({ createdFrom: from, createdTo: to, statuses, top: 500 });
      if (rows.length === 0) break;
      for (const r of rows) {
        store.purge(r.instanceId);
        deps.cache.drop(r.instanceId);
        deleted++;
      }
    }
    return deleted ? { status: 200, body: { instancesDeleted: deleted } } : { status: 404, body: { instancesDeleted: 0 } };
  };

  const notSupported = (): HostResponse => problem(501, 'Not Implemented', 'Rewind and restart are not supported by the local host.');

  const base = WEBHOOK_BASE;
  return [
    internalRoute(['POST'], `${base}/orchestrators/{functionName}/{instanceId?}`, start),
    internalRoute(['GET'], `${base}/instances/{instanceId}`, status),
    internalRoute(['GET'], `${base}/instances`, list),
    internalRoute(['POST'], `${base}/instances/{instanceId}/raiseEvent/{eventName}`, raise),
    internalRoute(['POST'], `${base}/instances/{instanceId}/terminate`, control('terminate')),
    internalRoute(['POST'], `${base}/instances/{instanceId}/suspend`, control('suspend')),
    internalRoute(['POST'], `${base}/instances/{instanceId}/resume`, control('resume')),
    internalRoute(['POST'], `${base}/instances/{instanceId}/rewind`, notSupported),
    internalRoute(['POST'], `${base}/instances/{instanceId}/restart`, notSupported),
    internalRoute(['DELETE'], `${base}/instances/{instanceId}`, purgeOne),
    internalRoute(['DELETE'], `${base}/instances`, purgeMany),
  ];
}
