import fs from 'node:fs';

/**
 * The tags a locally run replica carries as environment variables: how the local provider finds
 * its processes again after the host restarts, like resources found by tags in Azure.
 */
export const TAG = {
  root: 'FACTORY_RUNTIME_ROOT',
  tenant: 'FACTORY_TENANT_ID',
  project: 'FACTORY_PROJECT_ID',
  environment: 'FACTORY_ENVIRONMENT',
  module: 'FACTORY_MODULE',
  replica: 'FACTORY_REPLICA_ID',
  release: 'FACTORY_RELEASE_ID',
  configKeys: 'FACTORY_CONFIG_KEYS',
  secretKeys: 'FACTORY_SECRET_KEYS',
} as const;

/** A process that carries the runtime tags of this data dir. */
export interface TaggedProcess {
  pid: number;
  env: Record<string, string>;
}

function parseEnviron(raw: Buffer): Record<string, string> {
  const env: Record<string, string> = {};
  for (const entry of raw.toString('utf8').split('\0')) {
    const at = entry.indexOf('=');
    if (at > 0) env[entry.slice(0, at)] = entry.slice(at + 1);
  }
  return env;
}

/**
 * Every live process whose environment carries `FACTORY_RUNTIME_ROOT=<root>`, read from /proc
 * (Linux). Processes of other users or that exit while being read are skipped; zombies are not live.
 */
export function findTaggedProcesses(root: string): TaggedProcess[] {
  const marker = Buffer.from(`${TAG.root}=${root}\0`);
  const found: TaggedProcess[] = [];
  for (const name of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const raw = fs.readFileSync(`/proc/${name}/environ`);
      if (raw.indexOf(marker) < 0) continue;
      const stat = fs.readFileSync(`/proc/${name}/stat`, 'utf8');
      if (/\) [ZX] /.test(stat)) continue;
      found.push({ pid: Number(name), env: parseEnviron(raw) });
    } catch {
      // gone, or not ours
    }
  }
  return found;
}

/** True while the process exists and is not a zombie. */
export function isAlive(pid: number): boolean {
  try {
    return !/\) [ZX] /.test(fs.readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

/** Sends `signal` to the process group `pid` leads (replicas are started detached), else to the process. */
export function signalReplica(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    try {
      process.kill(pid, signal);
    } catch {
      // already gone
    }
  }
}

/** SIGTERM, then SIGKILL after `graceMs` if still alive; resolves when the process is gone. */
export async function stopReplica(pid: number, graceMs = 5000): Promise<void> {
  signalReplica(pid, 'SIGTERM');
  const deadline = Date.now() + graceMs;
  while (isAlive(pid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 25));
  if (isAlive(pid)) signalReplica(pid, 'SIGKILL');
  const hard = Date.now() + 5000;
  while (isAlive(pid) && Date.now() < hard) await new Promise((r) => setTimeout(r, 25));
}
