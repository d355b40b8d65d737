import { eventually, HostProcess } from './hostProcess';

export interface CheckStatus {
  id: string;
  statusQueryGetUri: string;
  sendEventPostUri: string;
  terminatePostUri: string;
  purgeHistoryDeleteUri: string;
  suspendPostUri: string;
  resumePostUri: string;
}

export interface InstanceStatus {
  name: string;
  instanceId: string;
  runtimeStatus: string;
  input: unknown;
  output: unknown;
  customStatus: unknown;
  createdTime: string;
  lastUpdatedTime: string;
  history?: { EventType: string; FunctionName?: string; Result?: unknown }[];
}

/** Starts an orchestration through the fixture's HTTP starter (real `startNew` + `createCheckStatusResponse`). */
export async function startOrchestration(host: HostProcess, name: string, input?: unknown, instanceId?: string): Promise<CheckStatus> {
  const res = await fetch(`${host.origin}/api/orchestrators/${name}${instanceId ? `/${instanceId}` : ''}`, {
    method: 'POST',
    body: input === undefined ? '' : JSON.stringify(input),
  });
  if (res.status !== 202) throw new Error(`start ${name} answered ${res.status}: ${await res.text()}`);
  return (await res.json()) as CheckStatus;
}

export async function getStatus(uri: string): Promise<{ code: number; body: InstanceStatus }> {
  const res = await fetch(uri);
  return { code: res.status, body: (await res.json()) as InstanceStatus };
}

/** Polls the status URL the client handed out until the instance is in a terminal state. */
export async function waitForCompletion(uri: string, timeoutMs = 120_000): Promise<InstanceStatus> {
  return eventually(async () => {
    const { code, body } = await getStatus(uri);
    return code === 200 ? body : undefined;
  }, timeoutMs, `completion of ${uri}`);
}

export async function waitForStatus(uri: string, predicate: (s: InstanceStatus) => boolean, timeoutMs = 120_000): Promise<InstanceStatus> {
  return eventually(async () => {
    const { body } = await getStatus(uri);
    return predicate(body) ? body : undefined;
  }, timeoutMs, `status of ${uri}`);
}
