/** Readiness paths tried in order: the generated-service contract, then the older `/ready`. */
export const READY_PATHS = ['/health/ready', '/ready'] as const;

/** True when the replica at `port` answers 200 on its readiness probe within `timeoutMs`. */
export async function probeReady(port: number, timeoutMs = 2000): Promise<boolean> {
  for (const probe of READY_PATHS) {
    try {
      const res = await fetch(`http://127.0.0.1:${port}${probe}`, { signal: AbortSignal.timeout(timeoutMs) });
      await res.arrayBuffer();
      if (res.status === 404) continue;
      return res.status === 200;
    } catch {
      return false;
    }
  }
  return false;
}
